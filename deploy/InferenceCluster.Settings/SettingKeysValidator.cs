using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Settings;

/// <summary>
/// Refuses a key in a section the services bind (Gateway, Worker, Inference…) that no options type bound there has: the
/// binder skips it without a word, so a typo (Gateway__DrainGrce) ran the service on the default the operator meant to
/// change. These sections belong to this project alone, so such a key is always a mistake; it is named (keys are no
/// secrets), never its value.
/// </summary>
internal sealed class SettingKeysValidator(IEnumerable<BoundSection> sections) : IValidateOptions<SettingKeys>
{
    public ValidateOptionsResult Validate(string? name, SettingKeys options)
    {
        var bound = sections.ToList();
        var unknown = bound
            .SelectMany(section => section.Section.AsEnumerable().Where(setting => setting.Value is not null).Select(setting => setting.Key))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(key => !bound.Any(section => Covers(section, key)))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(unknown.Select(key =>
                $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) is no setting of this service: a typo, " +
                "or a setting another version has; it would be ignored."));
    }

    private static bool Covers(BoundSection section, string key)
    {
        var path = (section.Section as IConfigurationSection)?.Path ?? string.Empty;
        if (path.Length > 0 && !key.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var relative = path.Length == 0 ? key : key[(path.Length + 1)..];
        return Covers(section.Type, relative.Split(ConfigurationPath.KeyDelimiter));
    }

    /// <summary>Whether the binder puts a value at <paramref name="parts"/> inside an instance of <paramref name="type"/>.</summary>
    private static bool Covers(Type type, ReadOnlySpan<string> parts)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (parts.Length == 0)
        {
            return true;
        }

        if (IsValue(type))
        {
            return false;
        }

        if (ElementType(type, typeof(IDictionary<,>)) is { } dictionary)
        {
            return Covers(dictionary, parts[1..]);
        }

        if ((type.IsArray ? type.GetElementType() : ElementType(type, typeof(IEnumerable<>))) is { } element)
        {
            return int.TryParse(parts[0], out _) && Covers(element, parts[1..]);
        }

        var property = type.GetProperty(parts[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && Covers(property.PropertyType, parts[1..]);
    }

    // What the binder reads from one string, as it does: through the type's converter.
    private static bool IsValue(Type type) =>
        type == typeof(string) || type == typeof(object) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    /// <summary>The value type of a dictionary (generic definition IDictionary&lt;,&gt;) or the element of a sequence.</summary>
    private static Type? ElementType(Type type, Type definition)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var found = (type.IsInterface && type.IsGenericType && type.GetGenericTypeDefinition() == definition ? [type] : type.GetInterfaces())
            .FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition);
        return found?.GetGenericArguments()[^1];
    }
}
