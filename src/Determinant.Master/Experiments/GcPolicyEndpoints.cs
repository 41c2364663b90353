using Determinant.Master.Domain;
using System.Security.Claims;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Checkpoints;
using Determinant.Master.Controller;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.AspNetCore.Mvc;

namespace Determinant.Master.Experiments;

/// <summary>
/// The checkpoint GC policy after creation (REFERENCE.md §4.4 (b), <c>det experiment set gc-policy</c>): a preview of what a
/// policy would delete, and <c>PATCH /api/v1/experiments/{id}</c> to store a new policy, which collects at once when the
/// experiment is already terminal (otherwise when it ends), or new notes (REFERENCE.md §8, Notes tab).
/// </summary>
internal static class GcPolicyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");
        group.MapGet("/{id:int}/preview_gc", PreviewAsync);
        group.MapPatch("/{id:int}", PatchAsync);
    }

    internal static async Task<PreviewGcResponse> PreviewAsync(
        int id, ExperimentQueries experiments, CheckpointCollector collector, CheckpointQueries checkpoints, CancellationToken cancellationToken,
        [FromQuery(Name = "save_experiment_best")] int? saveExperimentBest = null,
        [FromQuery(Name = "save_trial_best")] int? saveTrialBest = null,
        [FromQuery(Name = "save_trial_latest")] int? saveTrialLatest = null)
    {
        var current = await experiments.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var policy = Policy(current.Config, new CheckpointStoragePatch(saveExperimentBest, saveTrialBest, saveTrialLatest));
        var uuids = (await collector.CollectAsync(id, policy, dryRun: true, cancellationToken).ConfigureAwait(false)).Select(u => u.ToString("D")).ToHashSet();
        var all = await checkpoints.ListForExperimentAsync(id, "TRIAL_ID", "asc", 0, 0, [], cancellationToken).ConfigureAwait(false);
        return new PreviewGcResponse([.. all.Checkpoints.Where(c => uuids.Contains(c.Uuid))]);
    }

    internal static async Task<ExperimentResponse> PatchAsync(
        int id, PatchExperimentRequest request, ClaimsPrincipal user, ExperimentController controller, ExperimentConfigCache configs,
        CheckpointCollector collector, ExperimentQueries experiments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terminal = false;
        // Both fields are checked before either is stored, so a bad request changes nothing.
        if (request.CheckpointStorage is { } checkedPatch)
            Check(checkedPatch);
        var stored = request.Notes is { } notes ? Notes.Check(notes) : null;
        if (request.Notes is not null)
        {
            await controller.RunAsync(id, session =>
            {
                user.RequireOwnerOrAdmin(session.Experiment.OwnerId);
                session.Experiment.Notes = stored;
            }, cancellationToken).ConfigureAwait(false);
        }
        if (request.CheckpointStorage is { } patch)
        {
            await controller.RunAsync(id, session =>
            {
                user.RequireOwnerOrAdmin(session.Experiment.OwnerId);
                var storage = session.Config.CheckpointStorage
                    ?? throw new ConflictException($"experiment {id} has no checkpoint_storage to set a GC policy on");
                var changed = session.Config with
                {
                    CheckpointStorage = storage with
                    {
                        SaveExperimentBest = patch.SaveExperimentBest ?? storage.SaveExperimentBest,
                        SaveTrialBest = patch.SaveTrialBest ?? storage.SaveTrialBest,
                        SaveTrialLatest = patch.SaveTrialLatest ?? storage.SaveTrialLatest,
                    },
                };
                session.Experiment.ConfigJson = ExperimentConfigJson.Serialize(changed);
                terminal = States.IsTerminal(session.Experiment.State);
            }, cancellationToken).ConfigureAwait(false);
            configs.Forget(id);
            if (terminal)
                await collector.CollectAsync(id, null, dryRun: false, cancellationToken).ConfigureAwait(false);
        }
        return await experiments.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private static CheckpointGcPolicy Policy(System.Text.Json.Nodes.JsonObject config, CheckpointStoragePatch patch)
    {
        Check(patch);
        var storage = config["checkpoint_storage"];
        int Current(string name, int fallback) => (int?)storage?[name] ?? fallback;
        return new CheckpointGcPolicy(
            patch.SaveExperimentBest ?? Current("save_experiment_best", CheckpointGcPolicy.Default.SaveExperimentBest),
            patch.SaveTrialBest ?? Current("save_trial_best", CheckpointGcPolicy.Default.SaveTrialBest),
            patch.SaveTrialLatest ?? Current("save_trial_latest", CheckpointGcPolicy.Default.SaveTrialLatest));
    }

    private static void Check(CheckpointStoragePatch patch)
    {
        var errors = new List<string>();
        foreach (var (name, value) in new[] { ("save_experiment_best", patch.SaveExperimentBest), ("save_trial_best", patch.SaveTrialBest),
            ("save_trial_latest", patch.SaveTrialLatest) })
        {
            if (value < 0)
                errors.Add($"checkpoint_storage.{name}: must be 0 or more, not {value}");
        }
        if (errors.Count > 0)
            throw new BadRequestException(string.Join("; ", errors));
    }
}
