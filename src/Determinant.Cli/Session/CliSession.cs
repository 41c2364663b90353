using System.CommandLine;
using Determinant.Client;

namespace Determinant.Cli.Session;

/// <summary>The master and the user one command line talks to, and how it logs in (REFERENCE.md §6.1).</summary>
internal sealed class CliSession
{
    private readonly CliContext _context;
    private readonly string? _user;

    private CliSession(CliContext context, string master, string? user)
    {
        _context = context;
        Master = master;
        _user = user;
        Tokens = new TokenStore(context.ConfigDirectory);
    }

    /// <summary>The canonical master URL.</summary>
    public string Master { get; }

    public TokenStore Tokens { get; }

    public CliContext Context => _context;

    public static CliSession From(ParseResult parsed, CliContext context)
    {
        var given = parsed.GetValue(context.Globals.Master);
        var address = !string.IsNullOrWhiteSpace(given) ? given
            : context.Environment("DET_MASTER") is { Length: > 0 } master ? master
            : context.Environment("DET_MASTER_ADDR") is { Length: > 0 } addr ? addr
            : "localhost:8080";
        try
        {
            return new CliSession(context, MasterUrl.Canonicalize(address), parsed.GetValue(context.Globals.User));
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
    }

    /// <summary>The user whose stored token <see cref="ConnectAsync"/> used; null when it logged in or used a task token.</summary>
    public string? StoredTokenUser { get; private set; }

    /// <summary>
    /// The user <see cref="ConnectAsync"/> connected as, when known without asking the master (-u, DET_USER, the token
    /// store's active user); saves the <c>GET /api/v1/me</c> round trip. Null before connecting.
    /// </summary>
    public string? UserName { get; private set; }

    /// <summary>The user named by <c>-u</c>, if any.</summary>
    public string? RequestedUser => _user;

    /// <summary>Logs in with a password and returns the client.</summary>
    public Task<DeterminantClient> LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        DeterminantClient.LoginAsync(Master, user, password, _context.ClientOptions, cancellationToken);

    /// <summary>
    /// A client for <c>-u USER</c> (its stored token, else a password prompt), else <c>DET_USER</c> + <c>DET_PASS</c> (login,
    /// nothing stored), else the active user's stored token.
    /// </summary>
    public async Task<DeterminantClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_user is not null)
        {
            if (Tokens.Token(Master, _user) is { } stored)
            {
                StoredTokenUser = UserName = _user;
                return new DeterminantClient(Master, stored, _context.ClientOptions);
            }
            var password = _context.Prompt($"Password for user '{_user}': ", secret: true) ?? "";
            var client = await LoginAsync(_user, password, cancellationToken).ConfigureAwait(false);
            UserName = _user;
            Tokens.Save(Master, _user, client.Token, makeActive: false);
            return client;
        }
        if (_context.Environment("DET_USER") is { Length: > 0 } envUser)
        {
            UserName = envUser;
            if (_context.Environment("DET_PASS") is { } envPassword)
                return await LoginAsync(envUser, envPassword, cancellationToken).ConfigureAwait(false);
            if (_context.Environment("DET_USER_TOKEN") is { Length: > 0 } taskToken)
                return new DeterminantClient(Master, taskToken, _context.ClientOptions);
        }
        if (Tokens.ActiveUser(Master) is { } active && Tokens.Token(Master, active) is { } token)
        {
            StoredTokenUser = UserName = active;
            return new DeterminantClient(Master, token, _context.ClientOptions);
        }
        throw new CliException(ExitCodes.AuthFailure,
            $"not logged in to {Master}: run `det user login` (or set DET_USER and DET_PASS)");
    }
}
