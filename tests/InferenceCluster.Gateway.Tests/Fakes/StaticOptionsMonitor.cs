using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>Options that never change, for unit tests of classes that read an <see cref="IOptionsMonitor{T}"/>.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
