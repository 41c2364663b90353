namespace Determinant.ModelDefinitions.Tests;

/// <summary>
/// Minimal model definition sources against the real <c>Determinant.Harness.TorchTrial</c>; the one place to follow
/// its abstract members when they change.
/// </summary>
internal static class TrialSources
{
    public const string TrialMembers = """
            public override BatchSource BuildTrainingData() => throw new NotSupportedException();
            public override BatchSource BuildValidationData() => throw new NotSupportedException();
            public override IReadOnlyDictionary<string, double> TrainBatch(Batch batch, int epochIndex, long batchIndex) =>
                throw new NotSupportedException();
        """;

    /// <summary>A trial class <paramref name="name"/> in namespace <paramref name="ns"/>, its declaration on line 5, with <paramref name="extra"/> members.</summary>
    public static string Trial(string ns, string name, string modifiers = "public sealed", string extra = "") => $$"""
        using Determinant.Harness;

        namespace {{ns}};

        {{modifiers}} class {{name}}(TrialContext context) : TorchTrial(context)
        {
        {{TrialMembers}}
        {{extra}}
        }
        """;

    public static SourceFile File(string path, string text) => new(path, text);
}
