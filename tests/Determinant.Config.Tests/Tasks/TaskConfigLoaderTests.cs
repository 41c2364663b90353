using Determinant.Config;

namespace Determinant.Config.Tests.Tasks;

/// <summary>Task configs (REFERENCE.md §7.5): the seed's notebook config, defaults per kind, refusals with their paths.</summary>
public sealed class TaskConfigLoaderTests
{
    private const string SeedNotebook = """
        description: iris-notebook
        resources:
          slots: 0
        bind_mounts:
          - host_path: /tmp/shared
            container_path: /determined_shared_fs
        idle_timeout: 30m
        """;

    private static TaskConfig Valid(string yaml, TaskConfigKind kind = TaskConfigKind.Notebook, params string[] overrides)
    {
        var loaded = TaskConfigLoader.Load(yaml, kind, overrides);
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Errors));
        return loaded.Config!;
    }

    private static string Error(string yaml, TaskConfigKind kind = TaskConfigKind.Notebook, params string[] overrides)
    {
        var loaded = TaskConfigLoader.Load(yaml, kind, overrides);
        Assert.False(loaded.IsValid);
        return string.Join("; ", loaded.Errors);
    }

    [Fact]
    public void TheSeedsNotebookConfig_LoadsAsWritten()
    {
        var config = Valid(SeedNotebook);
        Assert.Equal("iris-notebook", config.Description);
        Assert.Equal(0, config.Slots);
        var mount = Assert.Single(config.BindMounts);
        Assert.Equal(("/tmp/shared", "/determined_shared_fs", false), (mount.HostPath, mount.ContainerPath, mount.ReadOnly));
        Assert.Equal(TimeSpan.FromMinutes(30), config.IdleTimeout);
        Assert.Equal("kernels_or_terminals", config.NotebookIdleType);
    }

    [Fact]
    public void Defaults_DependOnTheKind()
    {
        Assert.Equal(1, Valid("", TaskConfigKind.Notebook).Slots);
        Assert.Equal(1, Valid("", TaskConfigKind.Command).Slots);
        Assert.Equal(0, Valid("", TaskConfigKind.Tensorboard).Slots);
        Assert.Null(Valid("").IdleTimeout);
        Assert.Null(Valid("").Description);
        Assert.StartsWith("JupyterLab (", TaskConfigLoader.DefaultDescription(TaskConfigKind.Notebook, new Random(1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resources:\n  slots: -1\n", "<config>.resources.slots")]
    [InlineData("colour: red\n", "<config>")]
    [InlineData("resources:\n  gpus: 1\n", "<config>.resources")]
    [InlineData("bind_mounts:\n  - host_path: /a\n    container_path: /b\n    mode: rw\n", "<config>.bind_mounts[0]")]
    [InlineData("idle_timeout: soon\n", "<config>.idle_timeout")]
    [InlineData("idle_timeout: 0\n", "<config>.idle_timeout")]
    [InlineData("notebook_idle_type: never\n", "<config>.notebook_idle_type")]
    [InlineData("work_dir: relative/dir\n", "<config>.work_dir")]
    [InlineData("environment:\n  environment_variables: [NOEQUALS]\n", "<config>.environment.environment_variables[0]")]
    public void BadInput_IsRefused_WithItsPath(string yaml, string path)
    {
        var error = Error(yaml);
        Assert.StartsWith(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKey_IsNamed()
    {
        Assert.Contains("colour", Error("colour: red\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ATensorBoard_UsesNoSlot()
    {
        Assert.StartsWith("<config>.resources.slots", Error("resources:\n  slots: 1\n", TaskConfigKind.Tensorboard), StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_SetDottedKeys_AsYamlScalars_BeforeTheChecks()
    {
        var config = Valid(SeedNotebook, TaskConfigKind.Notebook, "resources.slots=2", "idle_timeout=3s", "resources.resource_pool=cpu");
        Assert.Equal((2, "cpu", TimeSpan.FromSeconds(3)), (config.Slots, config.ResourcePool, config.IdleTimeout));
        Assert.StartsWith("<config>.resources.slots", Error("", TaskConfigKind.Notebook, "resources.slots=-3"), StringComparison.Ordinal);
        Assert.StartsWith("--config", Error("", TaskConfigKind.Notebook, "no-equals-sign"), StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_TakeUnits()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Valid("idle_timeout: 90\n").IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), Valid("idle_timeout: 300s\n").IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(1), Valid("idle_timeout: 1h\n").IdleTimeout);
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var config = Valid(SeedNotebook + "\nenvironment:\n  environment_variables: [A=1, B=two=2]\nentrypoint: [python3, prep.py]\n");
        var back = TaskConfigJson.Read(TaskConfigJson.Write(config));
        Assert.Equal(config.Description, back.Description);
        Assert.Equal(config.Slots, back.Slots);
        Assert.Equal(config.IdleTimeout, back.IdleTimeout);
        Assert.Equal(config.BindMounts, back.BindMounts);
        Assert.Equal(config.EnvironmentVariables, back.EnvironmentVariables);
        Assert.Equal(config.Entrypoint, back.Entrypoint);
        Assert.Equal("two=2", back.EnvironmentVariables["B"]);
    }
}
