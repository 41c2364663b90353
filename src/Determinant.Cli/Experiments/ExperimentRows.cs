using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary>How experiments and trials read as table rows.</summary>
internal static class ExperimentRows
{
    public static readonly string[] ListHeaders = ["ID", "Owner", "Name", "Parent ID", "State", "Progress", "Started", "Ended", "Resource Pool"];

    public static string[] ListRow(Experiment experiment)
    {
        var e = experiment.Info;
        return [Formats.Int(e.Id), e.Username, e.Name, e.ParentId is { } p ? Formats.Int(p) : "", StateNames.Display(e.State),
            Formats.Progress(e.Progress), Formats.Time(e.StartTime), Formats.Time(e.EndTime), ResourcePool(experiment)];
    }

    /// <summary>The pool the config names; the default compute pool otherwise (lists carry no config).</summary>
    public static string ResourcePool(Experiment experiment) =>
        (string?)experiment.Config?["resources"]?["resource_pool"] is { Length: > 0 } pool ? pool : "default";

    public static string HParams(TrialDto trial) => Formats.Json(trial.Hparams);

    public static string Batches(TrialDto trial) => Formats.Int(trial.TotalBatchesProcessed);
}
