using System.Globalization;
using Determinant.Cli.Session;
using Determinant.Client;

namespace Determinant.Cli.Deploy;

/// <summary>Brings up a master and one agent on this machine, keeping whichever of them still runs.</summary>
internal sealed class LocalCluster(LocalClusterSettings settings, CliContext context)
{
    /// <summary>The local agent's id, which its credential is issued for.</summary>
    public const string LocalAgentId = "local";

    private LocalClusterLayout Layout => settings.Layout;

    public async Task<int> UpAsync(CancellationToken cancellationToken)
    {
        var (masterPid, agentPid) = (Layout.MasterPid.LivePid(), Layout.AgentPid.LivePid());
        var url = File.Exists(Layout.MasterUrlFile) && masterPid is not null
            ? File.ReadAllText(Layout.MasterUrlFile).Trim()
            : settings.MasterUrlForUsers;
        if (masterPid is { } m && agentPid is { } a)
        {
            context.Output.WriteLine($"A local cluster is already running from {Layout.DataDir}: master (pid {m}) at {url}, agent (pid {a}).");
            context.Output.WriteLine($"Stop it with: det deploy local cluster-down{DataDirFlag()}");
            return ExitCodes.Success;
        }
        var root = RepositoryRoot.Find(context);
        // The master's own files (database, agent credential, initial password) are its owner's alone; it tightens an older one.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(Layout.DataDir);
        else
            Directory.CreateDirectory(Layout.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Everything is built before anything starts: the master looks for the harness in .det-build/harness when it starts.
        var master = await ComponentBuilder.EnsureBuiltAsync(root, "src/Determinant.Master/Determinant.Master.csproj", "master", context, cancellationToken)
            .ConfigureAwait(false);
        var agent = await ComponentBuilder.EnsureBuiltAsync(root, "src/Determinant.Agent/Determinant.Agent.csproj", "agent", context, cancellationToken)
            .ConfigureAwait(false);
        // The master compiles trial classes against, and launches, the harness runner it finds in .det-build/harness.
        var harness = File.Exists(Path.Combine(root, "src/Determinant.Harness.Runner/Determinant.Harness.Runner.csproj"))
            ? "src/Determinant.Harness.Runner/Determinant.Harness.Runner.csproj" : "src/Determinant.Harness/Determinant.Harness.csproj";
        await ComponentBuilder.EnsureBuiltAsync(root, harness, "harness", context, cancellationToken).ConfigureAwait(false);
        // What the agent hands its tasks: the SDK for a notebook's C# cells (DET_SDK_DIR) and the C# kernel's spec (JUPYTER_PATH).
        var sdk = await ComponentBuilder.EnsureBuiltAsync(root, "src/Determinant.Client.Torch/Determinant.Client.Torch.csproj", "sdk", publish: true,
            context, cancellationToken).ConfigureAwait(false);
        var kernels = await CSharpKernel.EnsureInstalledAsync(root, context, cancellationToken).ConfigureAwait(false);
        if (masterPid is null)
        {
            masterPid = StartMaster(Path.Combine(master, "determinant-master.dll"));
            File.WriteAllText(Layout.MasterUrlFile, url + "\n");
            await WaitForHealthAsync(url, cancellationToken).ConfigureAwait(false);
        }
        else
            context.Output.WriteLine($"The master is already running (pid {masterPid}).");
        if (agentPid is null)
        {
            await EnsureAgentCredentialAsync(url, cancellationToken).ConfigureAwait(false);
            agentPid = StartAgent(Path.Combine(agent, "determinant-agent.dll"), sdk, kernels);
        }
        PrintReady(url, masterPid.Value, agentPid.Value);
        return ExitCodes.Success;
    }

    private int StartMaster(string dll)
    {
        var pid = BackgroundProcess.Start("dotnet", MasterArguments(dll), Layout.MasterLog);
        Layout.MasterPid.Write(pid);
        return pid;
    }

    /// <summary>The master's command line: it listens on <see cref="LocalClusterSettings.Listen"/> (127.0.0.1 unless <c>--listen</c>).</summary>
    internal List<string> MasterArguments(string dll)
    {
        List<string> args = [dll, "--port", settings.Port.ToString(CultureInfo.InvariantCulture), "--data-dir", Layout.DataDir, "--db", settings.Db,
            "--listen-address", settings.Listen.ToString(), "--master-url", settings.MasterUrlForAgent];
        if (settings.DbUrl is { } dbUrl)
            args.AddRange(["--db-url", dbUrl]);
        if (settings.InitialPassword is { } password)
            args.AddRange(["--initial-password", password]);
        return args;
    }

    private int StartAgent(string dll, string sdk, string? kernels)
    {
        Directory.CreateDirectory(Layout.AgentWorkDir);
        List<string> args = [dll, "--master", settings.MasterUrlForAgent, "--agent-id", LocalAgentId,
            "--slots", settings.Slots.ToString(CultureInfo.InvariantCulture), "--work-dir", Layout.AgentWorkDir, "--token-file", Layout.AgentCredentialFile,
            "--sdk-dir", sdk];
        if (kernels is not null)
            args.AddRange(["--jupyter-path", kernels]);
        // The task sandbox needs root (docs/security.md); a developer's own cluster runs its tasks as the developer.
        var why = settings.Unsandboxed ? "--unsandboxed: the agent runs tasks without the sandbox"
            : Environment.UserName != "root" ? "Not root: the agent runs tasks unsandboxed, as you" : null;
        if (why is not null)
        {
            args.Add("--unsandboxed");
            context.Output.WriteLine($"{why} (docs/security.md, \"Task sandbox\").");
        }
        var pid = BackgroundProcess.Start("dotnet", args, Layout.AgentLog);
        Layout.AgentPid.Write(pid);
        return pid;
    }

    /// <summary>Polls <c>/health</c> until it answers; fails with the log's tail as soon as the master has died, or at the deadline.</summary>
    private async Task WaitForHealthAsync(string url, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        while (!await DeterminantClient.IsHealthyAsync(url, cancellationToken).ConfigureAwait(false))
        {
            if (Layout.MasterPid.LivePid() is null)
            {
                Layout.MasterPid.Delete();
                throw new CliException(ExitCodes.ServerError, $"the master exited during start; the end of {Layout.MasterLog}:\n{LogTail.Of(Layout.MasterLog, 30)}");
            }
            if (context.Time.GetElapsedTime(started) > settings.HealthTimeout)
                throw new CliException(ExitCodes.ServerError,
                    $"the master (pid {Layout.MasterPid.LivePid()}) did not answer {url}/health within {settings.HealthTimeout.TotalSeconds:0} s; "
                    + $"it is still running (stop it with `det deploy local cluster-down`{DataDirFlag()}). The end of {Layout.MasterLog}:\n"
                    + LogTail.Of(Layout.MasterLog, 30));
            await Task.Delay(TimeSpan.FromMilliseconds(200), context.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The local agent registers with a credential an admin issued for its id (<c>det agent credential create local</c>);
    /// cluster-up issues it once, logged in as <c>admin</c> with the initial password, and keeps it in the data dir (0600).
    /// </summary>
    private async Task EnsureAgentCredentialAsync(string url, CancellationToken cancellationToken)
    {
        if (File.Exists(Layout.AgentCredentialFile))
            return;
        var password = settings.InitialPassword
            ?? (File.Exists(Layout.InitialPasswordFile) ? (await File.ReadAllTextAsync(Layout.InitialPasswordFile, cancellationToken).ConfigureAwait(false)).Trim() : null)
            ?? throw new CliException(ExitCodes.Usage,
                $"the local agent needs a credential and cluster-up does not know the admin password to issue one: run `det -m {url} agent credential create "
                + $"{LocalAgentId} -o {Layout.AgentCredentialFile}` as an admin, then cluster-up again");
        string credential;
        try
        {
            using var admin = await DeterminantClient.LoginAsync(url, "admin", password, cancellationToken).ConfigureAwait(false);
            credential = await admin.CreateAgentCredentialAsync(LocalAgentId, cancellationToken).ConfigureAwait(false);
        }
        catch (DeterminantApiException e)
        {
            throw new CliException(ExitCodes.AuthFailure,
                $"could not issue the local agent's credential as admin ({e.Message}); run `det -m {url} agent credential create {LocalAgentId} -o "
                + $"{Layout.AgentCredentialFile}` as an admin, then cluster-up again");
        }
        await SecretFile.WriteAsync(Layout.AgentCredentialFile, credential, FileMode.CreateNew, cancellationToken).ConfigureAwait(false);
    }

    private void PrintReady(string url, int masterPid, int agentPid)
    {
        var output = context.Output;
        output.WriteLine($"Determinant is running at {url} (web UI: {url}/det/)");
        output.WriteLine($"  master: pid {masterPid}, log {Layout.MasterLog}");
        output.WriteLine($"  agent:  pid {agentPid}, {settings.Slots} slot(s), log {Layout.AgentLog}");
        var masterFlag = url == "http://localhost:8080" ? "" : $"-m {url} ";
        output.WriteLine($"Log in with: det {masterFlag}user login admin");
        if (settings.InitialPassword is null && File.Exists(Layout.InitialPasswordFile))
            output.WriteLine($"The generated initial password of 'admin' and 'determined' is in {Layout.InitialPasswordFile} (readable only by you).");
        else if (settings.InitialPassword is null)
            output.WriteLine("Use the password of 'admin' that this data directory's master was first started with.");
        output.WriteLine($"Stop it with: det deploy local cluster-down{DataDirFlag()}");
    }

    private string DataDirFlag() =>
        Layout.DataDir == Path.GetFullPath(LocalClusterLayout.DefaultDataDir(context)) ? "" : $" --data-dir {Layout.DataDir}";
}
