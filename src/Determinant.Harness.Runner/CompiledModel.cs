using System.Text.Json;

namespace Determinant.Harness.Runner;

/// <summary>The compiled model definition the master added to the archive: <c>.determinant/model.dll</c> and the trial class named in <c>.determinant/model.json</c>.</summary>
internal sealed record CompiledModel(string AssemblyPath, string TrialTypeName)
{
    public const string Folder = ".determinant";

    /// <exception cref="FileNotFoundException">The working directory holds no compiled model definition.</exception>
    /// <exception cref="InvalidDataException">The manifest names no trial class.</exception>
    public static CompiledModel Read(string workDirectory)
    {
        var manifest = Path.Combine(workDirectory, Folder, "model.json");
        if (!File.Exists(manifest))
            throw new FileNotFoundException($"{manifest} is missing: the master adds it when it compiles a trial-class model definition at submit", manifest);
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var type = document.RootElement.TryGetProperty("trialTypeName", out var name) ? name.GetString() : null;
        if (string.IsNullOrEmpty(type))
            throw new InvalidDataException($"{manifest} names no trialTypeName");
        return new CompiledModel(Path.Combine(workDirectory, Folder, "model.dll"), type);
    }
}
