namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// What a service must have before its host starts (a worker's model loaded), done by <c>InvalidConfigurationExit.Run</c>
/// once the settings are validated: its failure, an <see cref="InvalidSettingException"/> or a
/// <see cref="RestartableStartException"/>, is then one line and an exit code, not the host's failure to start logged with
/// a stack trace.
/// </summary>
public interface IStartupCheck
{
    /// <summary>Does what the service needs before it starts, or throws why it cannot start.</summary>
    void Check();
}
