using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Settings;

/// <summary>
/// A <see cref="TimeSpan"/> setting that must be a whole number of seconds, for a value a protocol counts in seconds
/// (the AMQP heartbeat): a fraction would be cut off without a word, and the service would run on another value than set.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WholeSecondsAttribute : ValidationAttribute
{
    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is not TimeSpan span || span.Ticks % TimeSpan.TicksPerSecond == 0;
}
