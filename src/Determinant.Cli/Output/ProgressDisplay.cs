using Spectre.Console;

namespace Determinant.Cli.Output;

/// <summary>
/// Spectre.Console progress bars on stderr for long operations (downloads, <c>experiment wait</c>), shown only when stderr
/// is a terminal; otherwise the work runs without them and stdout/stderr stay plain text for scripts.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with a byte-count progress bar out of <paramref name="totalBytes"/>.</summary>
    public static Task<T> BytesAsync<T>(CliContext context, string description, long totalBytes, Func<IProgress<long>?, Task<T>> work)
    {
        if (!context.ShowProgress)
            return work(null);
        return Console(context).Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(totalBytes, 1));
                var result = await work(new SyncProgress<long>(bytes => task.Value = bytes)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Runs <paramref name="work"/> with a 0..1 fraction bar whose description the work may change (a state).</summary>
    public static Task<T> FractionAsync<T>(CliContext context, string description, Func<Action<double, string>?, Task<T>> work)
    {
        if (!context.ShowProgress)
            return work(null);
        return Console(context).Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: 1.0);
                return await work((fraction, text) =>
                {
                    task.Value = Math.Clamp(fraction, 0, 1);
                    task.Description = Markup.Escape(text);
                }).ConfigureAwait(false);
            });
    }

    private static IAnsiConsole Console(CliContext context) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error), Interactive = InteractionSupport.Yes });
}
