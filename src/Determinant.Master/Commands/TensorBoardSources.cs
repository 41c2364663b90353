using System.Globalization;
using System.Text.Json;
using Determinant.Config;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Commands;

/// <summary>One trial a TensorBoard shows: its run name and the directory of its event files.</summary>
internal sealed record TensorBoardRun(int ExperimentId, int TrialId, string Name, string Directory);

/// <summary>
/// What a TensorBoard shows, resolved when it is started and kept with its task (<see cref="TaskEntity.SourcesJson"/>):
/// the experiments and trials asked for, and each trial's event directory, where its harness writes them
/// (<c>&lt;storage base&gt;/&lt;cluster id&gt;/tensorboard/experiment/&lt;exp&gt;/trial/&lt;trial&gt;/</c>, REFERENCE.md §7.5).
/// </summary>
internal sealed record TensorBoardSources(IReadOnlyList<int> ExperimentIds, IReadOnlyList<int> TrialIds, IReadOnlyList<TensorBoardRun> Runs)
{
    /// <summary>The most trials one TensorBoard shows; an experiment contributes its best this many.</summary>
    public const int MaxTrials = 100;

    /// <summary>The most ids one request may name, of experiments and of trials each.</summary>
    public const int MaxIds = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TensorBoardSources? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<TensorBoardSources>(json, Json);

    /// <summary>The directories holding the event files, one read-only mount each (the storage's tensorboard folder).</summary>
    public IReadOnlyList<string> MountDirectories() =>
        [.. Runs.Select(r => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(r.Directory))))!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>TensorBoard's <c>--logdir_spec</c>: <c>name:directory</c> for each run, comma-separated.</summary>
    public string LogdirSpec() => string.Join(',', Runs.Select(r => r.Name + ":" + r.Directory));

    /// <summary>
    /// The trials of <paramref name="experimentIds"/> (each experiment's <see cref="MaxTrials"/> best by its searcher
    /// metric, then by id) and <paramref name="trialIds"/>, with their event directories.
    /// </summary>
    /// <exception cref="BadRequestException">No id, too many, more than <see cref="MaxTrials"/> trials, or storage without a local path.</exception>
    /// <exception cref="NotFoundException">An experiment or trial that does not exist.</exception>
    public static async Task<TensorBoardSources> ResolveAsync(
        MasterDbContext db, IReadOnlyList<int>? experimentIds, IReadOnlyList<int>? trialIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var experiments = (experimentIds ?? []).Distinct().ToList();
        var trials = (trialIds ?? []).Distinct().ToList();
        if (experiments.Count == 0 && trials.Count == 0)
            throw new BadRequestException("experimentIds, trialIds: a TensorBoard needs at least one experiment or trial (det tensorboard start EXP_ID… or --trial-ids ID…)");
        if (experiments.Count > MaxIds || trials.Count > MaxIds)
            throw new BadRequestException($"experimentIds, trialIds: at most {MaxIds} of each; a TensorBoard shows at most {MaxTrials} trials");

        var chosen = new List<(int ExperimentId, int TrialId)>();
        foreach (var experimentId in experiments)
        {
            var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == experimentId && e.State != ExperimentState.Deleted)
                .Select(e => new { e.Id, e.ConfigJson }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? throw NotFoundException.Experiment(experimentId);
            var smallerIsBetter = ExperimentConfigJson.Deserialize(experiment.ConfigJson).Searcher.SmallerIsBetter;
            var ids = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == experimentId).Select(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            var best = await db.Metrics.AsNoTracking()
                .Where(m => m.Group == MetricReportEntity.Validation && m.SearcherMetric != null && ids.Contains(m.TrialId))
                .GroupBy(m => m.TrialId)
                .Select(g => new { TrialId = g.Key, Min = g.Min(m => m.SearcherMetric), Max = g.Max(m => m.SearcherMetric) })
                .ToDictionaryAsync(g => g.TrialId, g => smallerIsBetter ? g.Min!.Value : -g.Max!.Value, cancellationToken).ConfigureAwait(false);
            chosen.AddRange(ids
                .OrderBy(id => best.ContainsKey(id) ? 0 : 1).ThenBy(id => best.GetValueOrDefault(id)).ThenBy(id => id)
                .Take(MaxTrials).Select(id => (experimentId, id)));
        }
        foreach (var trialId in trials.Where(t => !chosen.Any(c => c.TrialId == t)))
        {
            var experimentId = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => (int?)t.ExperimentId)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"trial {trialId} not found");
            chosen.Add((experimentId, trialId));
        }
        if (chosen.Count > MaxTrials)
            throw new BadRequestException(string.Create(CultureInfo.InvariantCulture,
                $"a TensorBoard shows at most {MaxTrials} trials, and these experiments and trials hold {chosen.Count} (an experiment adds its {MaxTrials} best); start it with fewer"));

        var clusterId = await db.Cluster.AsNoTracking().OrderBy(c => c.Id).Select(c => c.ClusterId).FirstAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<TensorBoardRun>(chosen.Count);
        foreach (var group in chosen.GroupBy(c => c.ExperimentId))
        {
            var configJson = await db.Experiments.AsNoTracking().Where(e => e.Id == group.Key).Select(e => e.ConfigJson)
                .FirstAsync(cancellationToken).ConfigureAwait(false);
            var storage = ExperimentConfigJson.Deserialize(configJson).CheckpointStorage switch
            {
                SharedFsStorageConfig shared => shared.BaseDirectory,
                DirectoryStorageConfig local => local.ContainerPath,
                var other => throw new BadRequestException(
                    $"experiment {group.Key}: its checkpoint storage '{other?.Type ?? "none"}' has no path on the cluster's machines; a TensorBoard reads shared_fs or directory storage"),
            };
            foreach (var (experimentId, trialId) in group)
            {
                var directory = string.Join('/', storage.TrimEnd('/'), clusterId, "tensorboard", "experiment",
                    experimentId.ToString(CultureInfo.InvariantCulture), "trial", trialId.ToString(CultureInfo.InvariantCulture));
                // --logdir_spec separates its entries with commas.
                if (directory.Contains(',', StringComparison.Ordinal))
                    throw new BadRequestException($"experiment {experimentId}: its storage path \"{storage}\" holds a comma, which TensorBoard's --logdir_spec cannot carry");
                runs.Add(new TensorBoardRun(experimentId, trialId,
                    string.Create(CultureInfo.InvariantCulture, $"experiment_{experimentId}/trial_{trialId}"), directory));
            }
        }
        return new TensorBoardSources(experiments, [.. runs.Select(r => r.TrialId)], runs);
    }
}
