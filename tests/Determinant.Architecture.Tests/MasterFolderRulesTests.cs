namespace Determinant.Architecture.Tests;

/// <summary>
/// The dependency direction between the master's feature folders (one namespace each), read from its compiled code:
/// the task layer and the resource managers under everything that owns tasks, nothing under the composition root.
/// </summary>
public sealed class MasterFolderRulesTests
{
    /// <summary>Which folder may use which; every folder of the master needs a line. Hosting, the composition root, may use all.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Errors"] = [],
        ["Configuration"] = [],
        ["Auth"] = ["Configuration", "Errors"],
        // The contract between tasks and whatever places them, and the names both sides share.
        ["ResourceManagers"] = ["Errors"],
        // The task layer: allocations of every task type, their stop signals, rendezvous, logs and services.
        ["Tasks"] = ["ResourceManagers", "Auth", "Configuration", "Errors"],
        // The local agents' resource manager: it knows nothing of trials or of the task layer beyond the contract.
        ["Agents"] = ["ResourceManagers", "Auth", "Configuration", "Errors"],
        ["Cluster"] = ["ResourceManagers"],
        // Experiment and trial rules that are pure: state machines, exit outcomes, resolved configs.
        ["Domain"] = ["ResourceManagers", "Errors"],
        ["Checkpoints"] = ["Domain", "Auth", "Configuration", "Errors"],
        ["Projects"] = ["Auth", "Errors"],
        ["Controller"] = ["Tasks", "ResourceManagers", "Checkpoints", "Domain", "Auth", "Configuration", "Errors"],
        ["Trials"] = ["Controller", "Domain", "Tasks", "Auth", "Errors"],
        ["Experiments"] = ["Controller", "Trials", "Checkpoints", "Projects", "Domain", "ResourceManagers", "Auth", "Configuration", "Errors"],
        ["Commands"] = ["Tasks", "ResourceManagers", "Experiments", "Auth", "Configuration", "Errors"],
        ["Proxy"] = ["Tasks", "Auth", "Configuration", "Errors"],
        ["CoreApi"] = ["Controller", "Experiments", "Trials", "Checkpoints", "Domain", "Tasks", "Auth", "Configuration", "Errors"],
        ["Live"] = ["CoreApi", "Experiments", "Domain", "Auth", "Configuration", "Errors"],
        ["Health"] = ["Configuration"],
        ["WebUi"] = ["Live", "Experiments", "Tasks", "ResourceManagers", "Domain", "Auth", "Configuration", "Errors"],
        ["Hosting"] = ["*"],
        [""] = ["Hosting"],
    };

    private static string Folder(Type type)
    {
        const string Root = "Determinant.Master";
        var space = type.Namespace ?? "";
        if (space == Root)
            return "";
        var rest = space[(Root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<Type> MasterTypes()
    {
        var assembly = System.Reflection.Assembly.Load("determinant-master");
        return assembly.GetTypes().Where(t => t.Namespace is { } space && (space == "Determinant.Master" || space.StartsWith("Determinant.Master.", StringComparison.Ordinal)));
    }

    [Fact]
    public void MasterFolders_UseOnlyTheFoldersTheirRuleAllows()
    {
        var assembly = System.Reflection.Assembly.Load("determinant-master");
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in MasterTypes())
        {
            var from = Folder(type);
            var allowed = Allowed.GetValueOrDefault(from);
            if (allowed is null)
            {
                violations.Add($"folder {from} has no rule in {nameof(MasterFolderRulesTests)}.{nameof(Allowed)}");
                continue;
            }
            if (allowed.Contains("*"))
                continue;
            foreach (var used in CompiledDependencies.Of(type).Where(u => u.Assembly == assembly && u.Namespace?.StartsWith("Determinant.Master", StringComparison.Ordinal) == true))
            {
                var to = Folder(used);
                if (to != from && !allowed.Contains(to))
                    violations.Add($"{from} -> {to} ({type.Name} uses {used.Name})");
            }
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void MasterFolderRules_FormNoCycle()
    {
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<string>();
        void Visit(string folder, string path)
        {
            if (done.Contains(folder))
                return;
            if (!visiting.Add(folder))
            {
                cycles.Add(path);
                return;
            }
            foreach (var next in Allowed.GetValueOrDefault(folder, []).Where(n => n != "*"))
                Visit(next, $"{path} -> {next}");
            visiting.Remove(folder);
            done.Add(folder);
        }
        foreach (var folder in Allowed.Keys)
            Visit(folder, folder);
        Assert.Empty(cycles);
    }

    [Fact]
    public void TheScan_FindsKnownUses_SoARuleCouldFail()
    {
        // The agents' resource manager calls back into the task layer only through the contract it implements.
        var launcher = MasterTypes().Single(t => t.Name == "AgentLauncher");
        Assert.Contains(CompiledDependencies.Of(launcher), t => t.Name == "IAllocationEvents");
        var controller = MasterTypes().Single(t => t.Name == "ExperimentController");
        Assert.Contains(CompiledDependencies.Of(controller), t => t.Name == "AllocationService");
    }
}
