using System.Collections.Immutable;
using Determinant.Config.Binding;

namespace Determinant.Config.Checks;

/// <summary>
/// Rules that span sections (REFERENCE.md §2.1 step 6 and §2.10). They run on whatever bound, so they are reported
/// together with type and range errors instead of after them.
/// </summary>
internal static class SemanticChecks
{
    public static void WorkspaceAndProject(string workspace, string project, BindContext context)
    {
        if ((workspace.Length == 0) != (project.Length == 0))
            context.Diagnostics.Error(context.Root, "workspace and project must be given together: set both or neither");
    }

    public static void Lengths(ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, ulong recordsPerEpoch, Entrypoint? entrypoint, BindContext context)
    {
        var lengths = context.Lengths;
        if (recordsPerEpoch == 0 && lengths.Exists(l => l.Length.Unit == LengthUnit.Epochs))
            context.Diagnostics.Error($"{context.Root}.records_per_epoch", "must be > 0 when a length is given in epochs");

        if (lengths.Exists(l => l.Length.Unit is LengthUnit.Records or LengthUnit.Epochs)
            && !(hyperparameters.TryGetValue("global_batch_size", out var batchSize) && IsUsableBatchSize(batchSize)))
        {
            context.Diagnostics.Error($"{context.Root}.hyperparameters",
                "global_batch_size is required when lengths use records or epochs (a positive int or const hyperparameter)");
        }

        if (entrypoint is { IsTrialClass: true })
        {
            foreach (var (length, path, isSearcherLength) in lengths)
            {
                if (isSearcherLength && length.Unit == LengthUnit.Unitless)
                    context.Diagnostics.Warning(path, "treating unitless length as epochs");
            }
        }
    }

    /// <summary>The optimizations that distributed training reads (docs/distributed.md); the rest of the section is accepted as it is.</summary>
    public static void Optimizations(System.Text.Json.Nodes.JsonObject? optimizations, BindContext context)
    {
        if (optimizations is null)
            return;
        var path = $"{context.Root}.optimizations";
        if (optimizations["tensor_fusion_threshold"] is { } threshold
            && !(threshold.GetValueKind() == System.Text.Json.JsonValueKind.Number
                && double.TryParse(threshold.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var mb)
                && mb == Math.Floor(mb) && mb is >= 1 and <= 4096))
        {
            context.Diagnostics.Error($"{path}.tensor_fusion_threshold",
                $"must be an integer number of megabytes in [1, 4096] (the gradient bucket size), not {threshold.ToJsonString()}");
        }

        if (optimizations["average_training_metrics"] is { } average
            && average.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            context.Diagnostics.Error($"{path}.average_training_metrics", $"must be true or false, not {average.ToJsonString()}");
    }

    /// <summary>Rejects trials that no agent or pool could ever hold; Determined queued them forever.</summary>
    public static void Slots(ResourcesConfig resources, BindContext context)
    {
        if (context.Cluster is not { } cluster)
            return;
        var path = $"{context.Root}.resources.slots_per_trial";
        var slots = resources.SlotsPerTrial;
        var limit = cluster.PoolSlotCapacity;
        if (cluster.MaxSlotsPerAgent is { } perAgent && (resources.IsSingleNode == true || cluster.PoolSlotCapacity is null))
            limit = limit is null ? perAgent : Math.Min(limit.Value, perAgent);
        if (limit is { } max && slots > max)
        {
            var message = $"no agent/pool can provide {slots} slots (at most {max})";
            if (cluster.PoolAutoscales)
                context.Diagnostics.Warning(path, message + "; the pool autoscales, so larger agents may join");
            else
                context.Diagnostics.Error(path, message);
        }

        var pools = cluster.ResourcePools;
        if (!pools.IsDefault && resources.ResourcePool.Length > 0 && !pools.Contains(resources.ResourcePool))
        {
            context.Diagnostics.Error($"{context.Root}.resources.resource_pool",
                $"invalid resource configuration: resource pool \"{resources.ResourcePool}\" does not exist (known: {NodeValues.QuoteAll(pools)})");
        }
    }

    private static bool IsUsableBatchSize(Hyperparameter hyperparameter) => hyperparameter switch
    {
        IntHyperparameter range => range.MinVal >= 1,
        ConstHyperparameter constant => NodeValues.TryGetInteger(constant.Value, out var size) && size >= 1,
        _ => false,
    };
}
