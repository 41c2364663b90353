namespace Determinant.Bench;

/// <summary>One benchmark: measures our code and its baseline in the same run and prints both with their ratio.</summary>
internal interface IBenchmark
{
    /// <summary>The name used on the command line, e.g. <c>config-load</c>.</summary>
    string Name { get; }

    /// <summary>What it measures and the target it must reach.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark, writes its report to <paramref name="output"/>, and returns whether the target was met.</summary>
    bool Run(TextWriter output, string repositoryRoot);
}
