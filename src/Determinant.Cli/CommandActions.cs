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
        command.SetClientAction(context, (parsed, _, client, cancellationToken) => action(parsed, client, cancellationToken));

    /// <summary>Sets an action that needs a logged-in client and the session it came from (e.g. for <see cref="CliSession.UserName"/>).</summary>
    public static void SetClientAction(
        this Command command, CliContext context, Func<ParseResult, CliSession, DeterminantClient, CancellationToken, Task<int>> action) =>
        command.SetSessionAction(context, async (parsed, session, cancellationToken) =>
        {
            using var client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await action(parsed, session, client, cancellationToken).ConfigureAwait(false);
            }
            catch (DeterminantApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized && session.StoredTokenUser is { } user)
            {
                // A stored token the master no longer accepts: it expired, was revoked, or the master's database is new.
                session.Tokens.Remove(session.Master, user);
                throw new CliException(ExitCodes.AuthFailure,
                    $"your session as '{user}' on {session.Master} has expired; log in again with `det user login {user}`");
            }
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
                error.WriteLine("det: your session has expired or the credentials are wrong: log in again with `det user login`, or check DET_USER and DET_PASS");
            if (IsUnreachable(e))
                error.WriteLine("det: set the master's address with -m/--master or DET_MASTER (e.g. export DET_MASTER=http://localhost:8080)");
            return ExitCodeOf(e);
        }
        catch (TimeoutException e)
        {
            error.WriteLine($"det: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>No answer at all: a refused connection, a failed name lookup, or a request timeout.</summary>
    public static bool IsUnreachable(DeterminantApiException e) =>
        e.StatusCode is null && e.InnerException is HttpRequestException or OperationCanceledException;

    public static int ExitCodeOf(DeterminantApiException e) => e.StatusCode switch
    {
        HttpStatusCode.BadRequest when e.Problem.Errors.Count > 0
            || e.Problem.Detail is { } detail && detail.StartsWith("invalid ", StringComparison.Ordinal) && detail.EndsWith(" configuration", StringComparison.Ordinal) => ExitCodes.InvalidConfig,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests => ExitCodes.AuthFailure,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        null when IsUnreachable(e) => ExitCodes.Unreachable,
        null => ExitCodes.ServerError,
        var status when (int)status >= 500 => ExitCodes.ServerError,
        _ => ExitCodes.Failure,
    };
}
