using System.CommandLine;
using System.Globalization;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Trials;

/// <summary>
/// <c>det trial logs ID [-f] [--head N | --tail N] [filters]</c>, one line per record in Determined's format. The
/// filters (<c>--rank-id</c>, <c>--agent-id</c>, <c>--container-id</c>, <c>--level</c>, <c>--source</c>, <c>--stdtype</c>,
/// each repeatable, and <c>--timestamp-before/--timestamp-after</c> in RFC 3339) are applied by the master.
/// </summary>
internal static class TrialLogsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("trial_id") { Description = "The trial." };
        var (follow, head, tail) = Options();
        var ranks = new Option<int[]>("--rank-id") { Description = "Only lines of these ranks (repeatable)." };
        var agents = new Option<string[]>("--agent-id") { Description = "Only lines from these agents (repeatable)." };
        var containers = new Option<string[]>("--container-id") { Description = "Only lines from these containers (repeatable)." };
        var levels = new Option<string[]>("--level") { Description = "Only these levels: DEBUG, INFO, WARNING, ERROR, CRITICAL (repeatable)." };
        var sources = new Option<string[]>("--source") { Description = "Only lines from task or agent (repeatable)." };
        var stdtypes = new Option<string[]>("--stdtype") { Description = "Only stdout or stderr (repeatable)." };
        var before = new Option<string?>("--timestamp-before") { Description = "Only lines before this RFC 3339 time." };
        var after = new Option<string?>("--timestamp-after") { Description = "Only lines after this RFC 3339 time." };
        var command = new Command("logs", "Print a trial's logs.") { id, follow, head, tail, ranks, agents, containers, levels, sources, stdtypes, before, after };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var (first, last, following) = Check(parsed.GetValue(head), parsed.GetValue(tail), parsed.GetValue(follow));
            var filter = new TrialLogFilter(parsed.GetValue(ranks), parsed.GetValue(agents), parsed.GetValue(containers),
                parsed.GetValue(levels)?.Select(TrialLogFilter.NormalizeLevel).ToList(), parsed.GetValue(stdtypes), parsed.GetValue(sources),
                Time("--timestamp-before", parsed.GetValue(before)), Time("--timestamp-after", parsed.GetValue(after)));
            var trial = await client.GetTrialAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            await PrintAsync(context, trial, first, last, following, cancellationToken, filter).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <exception cref="CliException">The text is not an RFC 3339 timestamp.</exception>
    private static DateTimeOffset? Time(string flag, string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new CliException(ExitCodes.Usage, $"{flag}: '{text}' is not an RFC 3339 timestamp (e.g. 2026-05-01T12:00:00Z)");

    /// <summary>The log flags of <c>trial logs</c>, for commands that print a trial's logs too.</summary>
    public static (Option<bool> Follow, Option<int?> Head, Option<int?> Tail) Options() =>
        (new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the trial ends." },
         new Option<int?>("--head") { Description = "Only the first N lines." },
         new Option<int?>("--tail") { Description = "Only the last N lines (with -f: then follow)." });

    /// <exception cref="CliException">--head with --tail, or a negative count.</exception>
    public static (int? Head, int? Tail, bool Follow) Check(int? head, int? tail, bool follow)
    {
        if (head is not null && tail is not null)
            throw new CliException(ExitCodes.Usage, "--head and --tail cannot be used together");
        if (head < 0 || tail < 0)
            throw new CliException(ExitCodes.Usage, "--head and --tail take a number of lines >= 0");
        return (head, tail, follow);
    }

    /// <summary>Prints the trial's log lines: the first N, the last N, or all, then (with follow) new ones until the trial ends.</summary>
    public static async Task PrintAsync(CliContext context, Client.Trial trial, int? first, int? last, bool following, CancellationToken cancellationToken,
        TrialLogFilter? filter = null)
    {
        if (first is { } n)
        {
            if (n > 0)
                await foreach (var log in trial.StreamLogsAsync(false, n, filter, cancellationToken).ConfigureAwait(false))
                    context.Output.WriteLine(Format(log));
            return;
        }
        var window = last is not null ? new Queue<TrialLogDto>() : null;
        await foreach (var log in trial.StreamLogsAsync(following && window is null, null, filter, cancellationToken).ConfigureAwait(false))
        {
            if (window is null)
            {
                context.Output.WriteLine(Format(log));
                context.Output.Flush();
                continue;
            }
            window.Enqueue(log);
            if (window.Count > last)
                window.Dequeue();
        }
        if (window is null)
            return;
        foreach (var log in window)
            context.Output.WriteLine(Format(log));
        // Follow on from the last line shown: the stream is paged by id, so skip what was already printed.
        if (following)
        {
            var after = window.Count > 0 ? window.Last().Id : 0;
            await foreach (var log in trial.StreamLogsAsync(true, null, filter, cancellationToken).ConfigureAwait(false))
                if (log.Id > after)
                    context.Output.WriteLine(Format(log));
        }
    }

    /// <summary><c>[2024-05-01T12:00:00.123400Z] f6114bb3 [rank=0] || INFO: text</c>; no container id gives 8 spaces.</summary>
    public static string Format(TrialLogDto log)
    {
        var time = log.Timestamp == default ? "[UNKNOWN TIME]"
            : "[" + DateTime.SpecifyKind(log.Timestamp, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) + "]";
        var rank = log.RankId is { } r ? $"[rank={r}] " : "";
        var level = (log.Level ?? "LOG_LEVEL_INFO").Replace("LOG_LEVEL_", "", StringComparison.Ordinal);
        return $"{time} {new string(' ', 8)} {rank}|| {level}: {log.Log.TrimEnd('\n', '\r')}";
    }
}
