using System.CommandLine;
using System.Globalization;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Trials;

/// <summary><c>det trial logs ID [-f] [--head N | --tail N]</c>, one line per record in Determined's format.</summary>
internal static class TrialLogsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("trial_id") { Description = "The trial." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the trial ends." };
        var head = new Option<int?>("--head") { Description = "Only the first N lines." };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines (with -f: then follow)." };
        var command = new Command("logs", "Print a trial's logs.") { id, follow, head, tail };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var (first, last, following) = (parsed.GetValue(head), parsed.GetValue(tail), parsed.GetValue(follow));
            if (first is not null && last is not null)
                throw new CliException(ExitCodes.Usage, "--head and --tail cannot be used together");
            if (first < 0 || last < 0)
                throw new CliException(ExitCodes.Usage, "--head and --tail take a number of lines >= 0");
            var trial = await client.GetTrialAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (first is { } n)
            {
                if (n > 0)
                    await foreach (var log in trial.StreamLogsAsync(false, n, cancellationToken).ConfigureAwait(false))
                        context.Output.WriteLine(Format(log));
                return ExitCodes.Success;
            }
            var window = last is { } k ? new Queue<TrialLogDto>() : null;
            await foreach (var log in trial.StreamLogsAsync(following && window is null, null, cancellationToken).ConfigureAwait(false))
            {
                if (window is null)
                {
                    context.Output.WriteLine(Format(log));
                    continue;
                }
                window.Enqueue(log);
                if (window.Count > last)
                    window.Dequeue();
            }
            if (window is not null)
            {
                foreach (var log in window)
                    context.Output.WriteLine(Format(log));
                // Follow on from the last line shown: the stream is paged by id, so skip what was already printed.
                if (following)
                {
                    var after = window.Count > 0 ? window.Last().Id : 0;
                    await foreach (var log in trial.StreamLogsAsync(true, null, cancellationToken).ConfigureAwait(false))
                        if (log.Id > after)
                            context.Output.WriteLine(Format(log));
                }
            }
            return ExitCodes.Success;
        });
        return command;
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
