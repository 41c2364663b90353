using Determinant.Testing;
using System.Text.Json.Nodes;

namespace Determinant.Cli.Tests;

public sealed class PreviewSearchCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("det-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void PreviewSearch_PrintsThePromotionPlan_ForTheIrisAdaptiveExample()
    {
        var run = CliRun.Of("preview-search", TestRepository.PathOf("examples/iris/adaptive.yaml"), "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var plan = JsonNode.Parse(run.Output)!;
        Assert.Equal("batches", (string?)plan["unit"]);
        Assert.Equal(6, (int)plan["total_trials"]!);
        var groups = plan["groups"]!.AsArray()
            .Select(g => ((int)g!["trials"]!, string.Join(",", g["lengths"]!.AsArray().Select(l => (ulong)l!))))
            .ToList();
        Assert.Equal([(3, "1250"), (1, "1250,5000"), (2, "5000")], groups);
    }

    [Fact]
    public void PreviewSearch_PrintsTheSearcherAndATrialTable_WithoutJson()
    {
        var run = CliRun.Of("preview-search", TestRepository.PathOf("examples/iris/adaptive.yaml"));

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n');
        Assert.Equal("Using search configuration:", lines[0]);
        Assert.Contains("  name: adaptive_asha", lines);
        Assert.Contains("This search will create a total of 6 trial(s).", lines);
        Assert.Contains(" Trials | Breakdown", lines);
        Assert.Contains("      3 | 1 x train 1250 batches", lines);
        Assert.Contains("      1 | 1 x train 1250 batches, 1 x train 5000 batches", lines);
        Assert.Contains("      2 | 1 x train 5000 batches", lines);
    }

    [Fact]
    public void PreviewSearch_SaysTrainFor_WhenTheLengthIsUnitless()
    {
        var config = Write("unitless.yaml", """
            entrypoint: python3 train.py
            searcher: {name: adaptive_asha, metric: loss, max_trials: 6, max_length: 5000}
            """);

        var run = CliRun.Of("preview-search", config);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("      1 | 1 x train for 1250, 1 x train for 5000", run.Output.Split('\n'));
    }

    [Fact]
    public void PreviewSearch_PrintsEveryErrorToStderrAndNothingElse_WhenTheConfigIsInvalid()
    {
        var config = Write("broken.yaml", """
            entrypoint: model_def:T
            hyperparameters:
              n: {type: int, minval: 4, maxval: 4}
            searcher: {name: random, metric: loss, max_length: {batches: 10, epochs: 1}}
            """);

        var run = CliRun.Of("preview-search", config, "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Output);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(errors, e => e.StartsWith("<config>.hyperparameters.n: ", StringComparison.Ordinal) && e.Contains("minval"));
        Assert.Contains(errors, e => e.StartsWith("<config>.searcher.max_length: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("<config>.searcher: ", StringComparison.Ordinal) && e.Contains("max_trials"));
    }

    [Fact]
    public void PreviewSearch_ExitsWithUsage_WhenTheFileIsMissing()
    {
        var run = CliRun.Of("preview-search", Path.Combine(_scratch, "absent.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("absent.yaml", run.Error);
    }

    [Fact]
    public void Det_ExitsWithUsage_WhenTheCommandIsUnknown()
    {
        var run = CliRun.Of("no-such-command");

        Assert.Equal(2, run.ExitCode);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }
}
