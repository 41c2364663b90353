using System.Diagnostics;
using System.Globalization;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Sandbox;

/// <summary>
/// The unprivileged accounts tasks run as: the launch's <c>RunAs</c> (a linked agent user), else the agent's
/// <c>task_user</c> (a name, or <c>uid:gid</c>), else the system account <see cref="DefaultName"/>, which the agent creates
/// when it is missing (<c>useradd --system --no-create-home</c>, no login shell). Never root.
/// </summary>
internal static class TaskAccounts
{
    public const string DefaultName = "det-task";

    /// <summary>The account for tasks without <c>RunAs</c>.</summary>
    /// <exception cref="ArgumentException">The setting names no account, or root; the message names the setting.</exception>
    public static TaskUser Default(string? taskUser)
    {
        if (string.IsNullOrWhiteSpace(taskUser))
            return Lookup(DefaultName) ?? Create(DefaultName);
        var parts = taskUser.Split(':');
        var user = parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? new TaskUser(uid, gid)
            : Lookup(taskUser) ?? throw new ArgumentException($"task_user: '{taskUser}' is not an account on this machine (a name, or uid:gid)");
        return user.Uid == 0 ? throw new ArgumentException($"task_user: '{taskUser}' is root; tasks run as an unprivileged account") : user;
    }

    /// <summary>The account a launch runs as: its <c>RunAs</c>, or <paramref name="fallback"/>.</summary>
    /// <exception cref="ArgumentException">RunAs is root.</exception>
    public static TaskUser Of(LaunchCommand launch, TaskUser fallback)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.RunAs is not { } runAs)
            return fallback;
        if (runAs.Uid == 0)
            throw new ArgumentException($"the task would run as root (uid 0{(runAs.Name is { } name ? ", " + name : "")}); the agent runs tasks only as unprivileged accounts");
        return runAs;
    }

    /// <summary>The account's uid and gid from the name service (<c>getent passwd</c>), or null when there is none.</summary>
    public static TaskUser? Lookup(string name)
    {
        var (code, output) = Run("getent", "passwd", name);
        var fields = output.Trim().Split(':');
        return code == 0 && fields.Length >= 4
            && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? new TaskUser(uid, gid, name) : null;
    }

    private static TaskUser Create(string name)
    {
        var (code, output) = Run("useradd", "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name);
        // Another agent on this machine may have created it meanwhile (exit 9: the name is taken).
        return Lookup(name) ?? throw new ArgumentException(
            $"task_user: unset, and the account '{name}' could not be created (useradd exited with {code}: {output.Trim()}); create it or set task_user");
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, e.Message);
        }
    }
}
