using System.Collections.Concurrent;
using Determinant.Config;

namespace Determinant.Master.Domain;

/// <summary>Resolved configs by experiment id; a config never changes once the experiment exists.</summary>
internal sealed class ExperimentConfigCache
{
    private readonly ConcurrentDictionary<int, ExperimentConfig> _configs = new();

    public ExperimentConfig Get(int experimentId, string configJson) =>
        _configs.GetOrAdd(experimentId, static (_, json) => ExperimentConfigJson.Deserialize(json), configJson);

    public void Forget(int experimentId) => _configs.TryRemove(experimentId, out _);
}
