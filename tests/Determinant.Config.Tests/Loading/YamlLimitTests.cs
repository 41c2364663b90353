using System.Text;

namespace Determinant.Config.Tests.Loading;

/// <summary>A YAML config is bounded before parsing and while its tree is built; each refusal names the limit (docs/security.md).</summary>
public sealed class YamlLimitTests
{
    /// <summary>Nine levels of ten aliases each: 10^9 copies of "lol" if it were expanded, under 1 KB of text.</summary>
    internal static string BillionLaughs(string key)
    {
        var yaml = new StringBuilder($"{key}:\n  l0: &l0 lol\n");
        for (var level = 1; level <= 9; level++)
            yaml.Append($"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        return yaml.ToString();
    }

    [Fact]
    public void Load_RefusesABillionLaughs_NamingTheNodeLimit_WithoutGrowingMemory()
    {
        var yaml = Configs.Base + "\n" + BillionLaughs("data");
        Assert.True(yaml.Length < 1024, $"the document is {yaml.Length} characters");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var line = Assert.Single(Configs.ErrorLines(yaml));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Expect.Line([line], "<config>", "alias *l", $"{ConfigLimits.MaxYamlNodes} values", "ConfigLimits.MaxYamlNodes");
        Assert.True(allocated < 200L << 20, $"refusing the document allocated {allocated >> 20} MiB");
    }

    [Fact]
    public void Load_ExpandsAliases_WhileTheyStayWithinTheLimit()
    {
        var config = Configs.LoadValid(Configs.Base + "\ndata:\n  a: &a [1, 2, 3]\n  b: [*a, *a, *a]");

        Assert.Equal("[[1,2,3],[1,2,3],[1,2,3]]", config.Data["b"]!.ToJsonString());
    }

    [Fact]
    public void Load_RefusesTooManyValues_WithoutAnyAlias()
    {
        var yaml = Configs.Base + "\ndata: {v: [" + string.Join(",", Enumerable.Repeat("0", ConfigLimits.MaxYamlNodes)) + "]}";

        Expect.Line(Configs.ErrorLines(yaml), "<config>", $"more than the limit of {ConfigLimits.MaxYamlNodes} values");
    }

    [Fact]
    public void Load_RefusesTextOverTheSizeLimit_BeforeParsingIt()
    {
        // Not YAML at all past the first line: only a size check that runs before the parser can refuse it this way.
        var yaml = Configs.Base + "\n" + new string('[', ConfigLimits.MaxYamlBytes);

        var line = Assert.Single(Configs.ErrorLines(yaml));

        Expect.Line([line], "<config>", $"over the limit of {ConfigLimits.MaxYamlBytes} bytes", "ConfigLimits.MaxYamlBytes");
    }

    [Fact]
    public void Load_AcceptsTextOfExactlyTheSizeLimit_CountingUtf8Bytes()
    {
        var head = Configs.Base + "\n# ";
        // 'é' is two UTF-8 bytes: the limit is on bytes, not characters.
        var padding = ConfigLimits.MaxYamlBytes - Encoding.UTF8.GetByteCount(head);
        var exact = head + new string('é', padding / 2) + new string('x', padding % 2);
        Assert.Equal(ConfigLimits.MaxYamlBytes, Encoding.UTF8.GetByteCount(exact));

        Assert.True(Configs.Load(exact).IsValid);
        Expect.Line(Configs.ErrorLines(exact + "x"), "<config>", $"is {ConfigLimits.MaxYamlBytes + 1} bytes");
    }

    [Fact]
    public void Load_RefusesNestingDeeperThanTheLimit()
    {
        var depth = ConfigLimits.MaxYamlDepth + 1;
        var yaml = Configs.Base + "\ndata: {v: " + new string('[', depth) + new string(']', depth) + "}";

        Expect.Line(Configs.ErrorLines(yaml), "<config>", $"deeper than the limit of {ConfigLimits.MaxYamlDepth} levels");
    }

    [Fact]
    public void Load_CountsTheDepthOfAnAlias_WhereItIsCopiedTo()
    {
        // Each half is 40 levels deep, within the limit on its own; the copy nests it 40 levels further down.
        var half = ConfigLimits.MaxYamlDepth * 5 / 8;
        var nested = new string('[', half) + new string(']', half);
        var yaml = Configs.Base + $"\ndata:\n  a: &deep {nested}\n  b: {new string('[', half)}*deep{new string(']', half)}";

        Expect.Line(Configs.ErrorLines(yaml), "<config>", "alias *deep", $"deeper than the limit of {ConfigLimits.MaxYamlDepth} levels");
    }

    [Fact]
    public void TaskConfigLoad_RefusesABillionLaughs_NamingTheNodeLimit()
    {
        var loaded = TaskConfigLoader.Load("description: x\nenvironment:\n  " + BillionLaughs("environment_variables").Replace("\n", "\n  ", StringComparison.Ordinal), TaskConfigKind.Command);

        Assert.False(loaded.IsValid);
        var error = Assert.Single(loaded.Errors);
        Assert.Equal("<config>", error.Path);
        Assert.Contains($"{ConfigLimits.MaxYamlNodes} values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskConfigLoad_RefusesTextOverTheSizeLimit()
    {
        var loaded = TaskConfigLoader.Load("description: " + new string('x', ConfigLimits.MaxYamlBytes), TaskConfigKind.Notebook);

        var error = Assert.Single(loaded.Errors);
        Assert.Contains($"over the limit of {ConfigLimits.MaxYamlBytes} bytes", error.Message, StringComparison.Ordinal);
    }
}
