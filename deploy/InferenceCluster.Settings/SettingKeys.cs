namespace InferenceCluster.Settings;

/// <summary>
/// Stands for the keys of every section bound with <see cref="SettingBinding.BindNamingKeys"/>, validated at start by
/// <see cref="SettingKeysValidator"/>; it holds nothing.
/// </summary>
public sealed class SettingKeys;
