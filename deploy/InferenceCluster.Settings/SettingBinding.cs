using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Settings;

/// <summary>
/// Binds a configuration section to options so that a value the binder cannot convert ("abc" for a TimeSpan) is an
/// <see cref="OptionsValidationException"/> naming the key: the service exits 78 on it rather than crashing
/// (<c>InvalidConfigurationExit</c> in the service defaults), and the message never repeats the value, which
/// may be a secret (the binder's own message quotes it). Every options class of the gateway and the worker is bound
/// through it, and a key of a bound section that none of them has is refused at start (<see cref="SettingKeys"/>).
/// </summary>
public static class SettingBinding
{
    /// <summary>Binds <paramref name="section"/> like <c>OptionsBuilder.Bind</c>, naming the key a failure is at.</summary>
    public static OptionsBuilder<TOptions> BindNamingKeys<TOptions>(this OptionsBuilder<TOptions> builder, IConfiguration section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);

        // Every bound section's keys are checked at start against the types bound there: a key none has is refused.
        KnowKeysOf<TOptions>(builder.Services, section);
        return builder.Configure(options => Bind(section, options));
    }

    /// <summary>
    /// Takes the keys of <typeparamref name="TOptions"/> in <paramref name="section"/> as settings of this service without
    /// binding them: ones another process of the deployment reads, which this one leaves alone (the gateway's embedded
    /// worker has no metrics listener of its own, while a shared environment names the worker's).
    /// </summary>
    public static void KnowKeysOf<TOptions>(IServiceCollection services, IConfiguration section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddSingleton(new BoundSection(section, typeof(TOptions)));
        services.AddOptions<SettingKeys>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SettingKeys>, SettingKeysValidator>());
    }

    /// <summary>Binds <paramref name="section"/> into <paramref name="options"/>.</summary>
    public static void Bind<TOptions>(IConfiguration section, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException)
        {
            // Not rethrown nor kept as the inner exception: its message quotes the value.
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), [Describe(section, typeof(TOptions))]);
        }
    }

    private static string Describe(IConfiguration section, Type type)
    {
        var keys = section.AsEnumerable()
            .Where(setting => setting.Value is not null && !BindsAlone(section, type, setting))
            .Select(setting => $"{setting.Key} (environment variable {setting.Key.Replace(":", "__", StringComparison.Ordinal)})")
            .ToList();
        var what = keys.Count > 0 ? string.Join(", ", keys) : (section as IConfigurationSection)?.Path ?? "A setting";
        return $"{what}: the value set cannot be read as the setting's type (it is not repeated here, as it may be a secret).";
    }

    /// <summary>Whether one setting binds into fresh options on its own; the one that does not is the one at fault.</summary>
    private static bool BindsAlone(IConfiguration section, Type type, KeyValuePair<string, string?> setting)
    {
        var alone = new ConfigurationBuilder().AddInMemoryCollection([setting]).Build();
        var target = section is IConfigurationSection { Path: { Length: > 0 } path } ? alone.GetSection(path) : (IConfiguration)alone;
        try
        {
            target.Bind(Activator.CreateInstance(type)!);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
