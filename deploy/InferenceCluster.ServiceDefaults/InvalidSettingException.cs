namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// A setting the service cannot start with; the message names the setting and never repeats its value, which may hold
/// a password. A worker exits with 78 on it, so that its supervisor does not start it again only to fail the same way.
/// </summary>
public sealed class InvalidSettingException : InvalidOperationException
{
    /// <summary>A setting is invalid.</summary>
    public InvalidSettingException()
    {
    }

    /// <summary>A setting is invalid, as <paramref name="message"/> says.</summary>
    public InvalidSettingException(string message)
        : base(message)
    {
    }

    /// <summary>A setting is invalid, as <paramref name="message"/> says, found by <paramref name="innerException"/>.</summary>
    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
