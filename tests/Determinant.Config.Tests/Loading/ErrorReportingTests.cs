namespace Determinant.Config.Tests.Loading;

/// <summary>Errors are collected rather than stopping at the first, sorted, located and worded for users.</summary>
public sealed class ErrorReportingTests
{
    [Fact]
    public void Load_CollectsEveryError_WhenOneConfigHasManyProblems()
    {
        var lines = Configs.ErrorLines("""
            hyperparameters: {n: {type: int, minval: 4, maxval: 1}, lr: {type: float}}
            searcher: {name: random, metric: l, max_length: {batches: -1}}
            resources: {priority: 0, slots: 3}
            checkpoint_policy: sometimes
            max_restarts: -2
            """);

        Expect.Line(lines, "<config>", "entrypoint");
        Expect.Line(lines, "<config>.hyperparameters.n", "minval");
        Expect.Line(lines, "<config>.hyperparameters.lr", "\"float\"");
        Expect.Line(lines, "<config>.searcher", "max_trials");
        Expect.Line(lines, "<config>.searcher.max_length.batches", ">= 0");
        Expect.Line(lines, "<config>.resources.priority", ">= 1");
        Expect.Line(lines, "<config>.resources", "\"slots\"");
        Expect.Line(lines, "<config>.checkpoint_policy", "\"sometimes\"");
        Expect.Line(lines, "<config>.max_restarts", ">= 0");
        Assert.Equal(9, lines.Count);
    }

    [Fact]
    public void Load_SortsErrorsByPath_WhenSeveralAreFound()
    {
        var result = Configs.Load("""
            searcher: {name: single, metric: l, max_length: {batches: 1}}
            scheduling_unit: 0
            bind_mounts: [{host_path: rel, container_path: /x}]
            """);

        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        Assert.Equal(["<config>", "<config>.bind_mounts[0].host_path", "<config>.scheduling_unit"], paths);
    }

    [Theory]
    [InlineData("colour: red", "<config>", "\"colour\"")]
    [InlineData("searcher: {name: single, metric: l, max_length: 1, extra: 1}", "<config>.searcher", "\"extra\"")]
    [InlineData("hyperparameters: {a: {type: int, minval: 1, maxval: 2, step: 1}}", "<config>.hyperparameters.a", "\"step\"")]
    [InlineData("bind_mounts: [{host_path: /a, container_path: /b, mode: ro}]", "<config>.bind_mounts[0]", "\"mode\"")]
    [InlineData("environment: {image: {cpu: a, tpu: b}}", "<config>.environment.image", "\"tpu\"")]
    [InlineData("profiling: {enabled: true, every: 3}", "<config>.profiling", "\"every\"")]
    [InlineData("reproducibility: {seed: 3}", "<config>.reproducibility", "\"seed\"")]
    [InlineData("checkpoint_storage: {type: directory, container_path: /c, host_path: /h}", "<config>.checkpoint_storage", "\"host_path\"")]
    [InlineData("searcher: {name: pbt, metric: l, population_size: 2, num_rounds: 2, length_per_round: 5, replace_function: {truncate_fraction: 0.1, x: 1}, explore_function: {resample_probability: 0.1, perturb_factor: 0.1}}",
        "<config>.searcher.replace_function", "\"x\"")]
    public void Load_NamesTheUnknownProperty_OnEveryKindOfObject(string fragment, string path, string property)
    {
        var yaml = fragment.StartsWith("searcher", StringComparison.Ordinal)
            ? "entrypoint: a:B\n" + fragment
            : "entrypoint: a:B\nsearcher: {name: single, metric: l, max_length: {batches: 1}}\n" + fragment;

        Expect.Line(Configs.ErrorLines(yaml), path, property, "not allowed");
    }

    [Fact]
    public void Load_GivesLineAndColumn_ForAYamlSyntaxError()
    {
        var lines = Configs.ErrorLines("""
            entrypoint: model_def:T
            searcher:
              name: single
             metric: loss
            """);

        var line = Assert.Single(lines);
        Assert.StartsWith("<config>: YAML syntax error at line 4, column ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GivesAPosition_ForAnUnterminatedFlowList()
    {
        var line = Assert.Single(Configs.ErrorLines("labels: [a, b\nname: x\n"));

        Assert.Matches(@"^<config>: YAML syntax error at line \d+, column \d+: ", line);
    }

    [Fact]
    public void Load_ReportsDuplicateKeys_WithTheirPosition()
    {
        var lines = Configs.ErrorLines(Configs.Base + "\nmax_restarts: 1\nmax_restarts: 2");

        Expect.Line(lines, "<config>", "duplicate key \"max_restarts\"", "line 5");
    }

    [Theory]
    [InlineData("- a\n- b")]
    [InlineData("just text")]
    public void Load_RejectsTheDocument_WhenItIsNotAMapping(string yaml)
    {
        Expect.Line(Configs.ErrorLines(yaml), "<config>", "must be an object");
    }

    [Fact]
    public void Load_ReportsMissingRequiredSections_ForAnEmptyDocument()
    {
        var lines = Configs.ErrorLines("");

        Expect.Line(lines, "<config>", "searcher", "required");
        Expect.Line(lines, "<config>", "entrypoint", "required");
    }

    [Fact]
    public void Load_RejectsASecondDocument()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\n---\nname: other"), "<config>", "one YAML document");
    }

    [Fact]
    public void Load_UsesTheSourceName_InEveryPath()
    {
        var options = Configs.Options() with { SourceName = "exp.yaml" };

        var lines = Configs.ErrorLines(Configs.Base + "\nmax_restarts: -1", options);

        Assert.Equal(["exp.yaml.max_restarts: must be >= 0"], lines);
    }

    [Fact]
    public void Load_ReportsWrongTypes_WithTheValueGiven()
    {
        var lines = Configs.ErrorLines(Configs.Base + "\nmax_restarts: many\nlabels: x\nperform_initial_validation: 3");

        Expect.Line(lines, "<config>.max_restarts", "integer", "\"many\"");
        Expect.Line(lines, "<config>.labels", "list");
        Expect.Line(lines, "<config>.perform_initial_validation", "true or false");
    }

    [Fact]
    public void ConfigError_RendersPathColonMessage()
    {
        Assert.Equal("<config>.a: b", new ConfigError("<config>.a", "b").ToString());
    }
}
