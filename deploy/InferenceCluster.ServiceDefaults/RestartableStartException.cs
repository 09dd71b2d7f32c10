namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// A service cannot start for a reason a restart may mend (a device out of memory or busy), as far as it can tell: it exits
/// with 75 (EX_TEMPFAIL) and one line, so that its supervisor starts it again, where an invalid setting (78) is not.
/// </summary>
public sealed class RestartableStartException : InvalidOperationException
{
    /// <summary>The service cannot start now.</summary>
    public RestartableStartException()
    {
    }

    /// <summary>The service cannot start now, as <paramref name="message"/> says.</summary>
    public RestartableStartException(string message)
        : base(message)
    {
    }

    /// <summary>The service cannot start now, as <paramref name="message"/> says, found by <paramref name="innerException"/>.</summary>
    public RestartableStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
