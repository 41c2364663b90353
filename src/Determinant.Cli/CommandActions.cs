using System.CommandLine;
using System.Net;
using Determinant.Cli.Session;
using Determinant.Client;

namespace Determinant.Cli;

/// <summary>Runs a command's action and turns every failure into a message on stderr and an exit code of <see cref="ExitCodes"/>.</summary>
internal static class CommandActions
{
    /// <summary>Sets an action that gets a session (master, login) and maps failures.</summary>
    public static void SetSessionAction(this Command command, CliContext context, Func<ParseResult, CliSession, CancellationToken, Task<int>> action) =>
        command.SetAction((parsed, cancellationToken) => RunAsync(context, () => action(parsed, CliSession.From(parsed, context), cancellationToken)));

    /// <summary>Sets an action that needs a logged-in client.</summary>
    public static void SetClientAction(
        this Command command, CliContext context, Func<ParseResult, DeterminantClient, CancellationToken, Task<int>> action) =>
        command.SetSessionAction(context, async (parsed, session, cancellationToken) =>
        {
            using var client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return await action(parsed, client, cancellationToken).ConfigureAwait(false);
        });

    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> action)
    {
        var error = context.Error;
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            error.WriteLine($"det: {e.Message}");
            return e.ExitCode;
        }
        catch (DeterminantApiException e)
        {
            error.WriteLine($"det: {e.Message}");
            foreach (var line in e.Problem.Errors)
                error.WriteLine(line);
            if (e.StatusCode is HttpStatusCode.Unauthorized)
                error.WriteLine("det: log in again with `det user login`, or check DET_USER and DET_PASS");
            return ExitCodeOf(e);
        }
        catch (TimeoutException e)
        {
            error.WriteLine($"det: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    public static int ExitCodeOf(DeterminantApiException e) => e.StatusCode switch
    {
        HttpStatusCode.BadRequest when e.Problem.Errors.Count > 0
            || e.Problem.Detail == "invalid experiment configuration" => ExitCodes.InvalidConfig,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.AuthFailure,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        null => ExitCodes.ServerError,
        var status when (int)status >= 500 => ExitCodes.ServerError,
        _ => ExitCodes.Failure,
    };
}
