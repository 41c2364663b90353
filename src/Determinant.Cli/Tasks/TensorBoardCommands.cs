using System.CommandLine;
using System.Globalization;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Tasks;

/// <summary>
/// <c>det tensorboard start|list|open|logs|kill</c>: TensorBoard over the event files of experiments and trials, behind the
/// master's <c>/proxy/&lt;id&gt;/</c>.
/// </summary>
internal static class TensorBoardCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TaskSubcommands.TaskKind Kind = new("tensorboard", "TensorBoards",
        (c, ct) => c.ListTensorboardsAsync(ct), (c, id, ct) => c.GetTensorboardAsync(id, ct), (c, id, ct) => c.KillTensorboardAsync(id, ct));

    public static Command Create(CliContext context) =>
        new("tensorboard", "Run TensorBoard over experiments' and trials' metrics.") 
        {
            Start(context),
            TaskSubcommands.List(context, Kind, [.. TaskSubcommands.Headers[..4], "Experiment Ids", "Trial Ids", .. TaskSubcommands.Headers[4..]],
                t => [.. TaskSubcommands.Row(t)[..4], Ids(t.ExperimentIds), Ids(t.TrialIds), .. TaskSubcommands.Row(t)[4..]]),
            Open(context), TaskSubcommands.Logs(context, Kind), TaskSubcommands.Kill(context, Kind),
        };

    private static Command Start(CliContext context)
    {
        var experiments = new Argument<int[]>("experiment_ids") { Description = "Experiments to show (each one's 100 best trials).", Arity = ArgumentArity.ZeroOrMore };
        var trials = new Option<int[]>("--trial-ids", "-t") { Description = "Trials to show.", AllowMultipleArgumentsPerToken = true };
        var configFile = new Option<FileInfo?>("--config-file") { Description = "The TensorBoard config (YAML): description, resources.resource_pool, idle_timeout." };
        var overrides = new Option<string[]>("--config") { Description = "KEY=VALUE over the config, e.g. idle_timeout=10m (repeatable)." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Print only the id; do not wait until it is ready." };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Accepted for compatibility: no browser is opened." };
        var start = new Command("start", "Start a TensorBoard and wait until it is ready.") { experiments, trials, configFile, overrides, detach, noBrowser };
        start.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var experimentIds = parsed.GetValue(experiments) ?? [];
            var trialIds = parsed.GetValue(trials) ?? [];
            if (experimentIds.Length == 0 && trialIds.Length == 0)
                throw new CliException(ExitCodes.Usage, "name at least one experiment (det tensorboard start EXP_ID…) or trial (--trial-ids ID…)");
            var yaml = await CommandCommands.ReadConfigAsync(parsed.GetValue(configFile), cancellationToken).ConfigureAwait(false);
            var tensorboard = await client.CreateTensorboardAsync(experimentIds, trialIds, yaml, parsed.GetValue(overrides), cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(detach))
            {
                context.Output.WriteLine(tensorboard.Id);
                return ExitCodes.Success;
            }
            context.Output.WriteLine($"Launched tensorboard (id: {tensorboard.Id}, name: {tensorboard.Description}).");
            while (!tensorboard.Ready)
            {
                if (tensorboard.State == "STATE_TERMINATED")
                    throw new CliException(ExitCodes.Failure,
                        $"tensorboard {tensorboard.Id} ended before it was ready: {tensorboard.ExitStatus} (det tensorboard logs {tensorboard.Id})");
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                tensorboard = await client.GetTensorboardAsync(tensorboard.Id, cancellationToken).ConfigureAwait(false);
            }
            context.Output.WriteLine($"Tensorboard is running at: {Url(client, tensorboard)}");
            return ExitCodes.Success;
        });
        return start;
    }

    /// <summary>The web UI's page for the TensorBoard (REFERENCE.md §7.5): it waits until the service is ready, then shows it.</summary>
    internal static string Url(DeterminantClient client, TaskDto tensorboard)
    {
        var master = client.Master.TrimEnd('/');
        return string.Create(CultureInfo.InvariantCulture,
            $"{master}/det/interactive/{tensorboard.Id}/tensorboard/{Uri.EscapeDataString(tensorboard.Description)}/{Uri.EscapeDataString(tensorboard.ResourcePool)}/{Uri.EscapeDataString($"/proxy/{tensorboard.Id}/")}");
    }

    private static string Ids(IReadOnlyList<int>? ids) => ids is { Count: > 0 } ? string.Join(",", ids) : "N/A";

    private static Command Open(CliContext context)
    {
        var id = new Argument<string>("tensorboard_id") { Description = "The TensorBoard." };
        var open = new Command("open", "Print the TensorBoard's address.") { id };
        open.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var tensorboard = await client.GetTensorboardAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine(Url(client, tensorboard));
            return ExitCodes.Success;
        });
        return open;
    }
}
