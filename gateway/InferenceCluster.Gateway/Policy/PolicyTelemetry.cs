using System.Diagnostics;

namespace InferenceCluster.Gateway.Policy;

/// <summary>Records on the chat span which key asked and what the server changed in its request.</summary>
internal static class PolicyTelemetry
{
    public const string AdjustmentsAttribute = "inference_cluster.policy.adjustments";
    public const string ApiKeyAttribute = "inference_cluster.api_key.name";
    public const string AdjustedEvent = "inference_cluster.policy.adjusted";

    public static void RecordPolicy(this Activity? activity, string? keyName, string? profile, IReadOnlyList<PolicyAdjustment> adjustments)
    {
        if (activity is null)
        {
            return;
        }

        if (keyName is not null)
        {
            activity.SetTag(ApiKeyAttribute, keyName);
        }

        if (profile is not null)
        {
            activity.SetTag("inference_cluster.request.profile", profile);
        }

        if (adjustments.Count == 0)
        {
            return;
        }

        activity.SetTag(AdjustmentsAttribute, adjustments.Select(adjustment => adjustment.ToString()).ToArray());
        foreach (var adjustment in adjustments)
        {
            activity.AddEvent(new ActivityEvent(AdjustedEvent, tags: new ActivityTagsCollection
            {
                ["param"] = adjustment.Param,
                ["value"] = adjustment.Value,
                ["reason"] = adjustment.Reason,
            }));
        }
    }
}
