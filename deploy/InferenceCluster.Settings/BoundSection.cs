namespace InferenceCluster.Settings;

/// <summary>A configuration section and the options type bound to it, for <see cref="SettingKeysValidator"/>.</summary>
internal sealed record BoundSection(Microsoft.Extensions.Configuration.IConfiguration Section, Type Type);
