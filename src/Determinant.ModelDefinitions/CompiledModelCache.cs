using System.Text.Json;

namespace Determinant.ModelDefinitions;

/// <summary>
/// Compiled model definitions on disk, one <c>&lt;hash&gt;/</c> folder each with <c>model.dll</c> and <c>model.json</c>.
/// </summary>
/// <remarks>
/// An entry is written in a temporary folder beside it and renamed into place, so it appears whole or not at all; when
/// two processes compile the same hash at once, the first rename wins and the other discards its identical copy.
/// </remarks>
internal sealed class CompiledModelCache(string root)
{
    public const string AssemblyFileName = "model.dll";
    public const string ManifestFileName = "model.json";

    public bool TryGet(string hash, out string assemblyPath, out string trialTypeName)
    {
        var directory = Path.Combine(root, hash);
        assemblyPath = Path.Combine(directory, AssemblyFileName);
        trialTypeName = "";
        var manifest = ReadManifest(Path.Combine(directory, ManifestFileName));
        if (manifest is null || manifest.ContentHash != hash || !File.Exists(assemblyPath))
            return false;
        trialTypeName = manifest.TrialTypeName;
        return true;
    }

    /// <summary>Stores the assembly under <paramref name="manifest"/>'s hash and returns its path.</summary>
    public string Store(CacheManifest manifest, ReadOnlySpan<byte> assembly)
    {
        Directory.CreateDirectory(root);
        var final = Path.Combine(root, manifest.ContentHash);
        var temporary = Path.Combine(root, $"{manifest.ContentHash}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            File.WriteAllBytes(Path.Combine(temporary, AssemblyFileName), assembly);
            File.WriteAllBytes(Path.Combine(temporary, ManifestFileName),
                JsonSerializer.SerializeToUtf8Bytes(manifest, CacheManifestJsonContext.Default.CacheManifest));
            if (!TryMove(temporary, final))
            {
                // The folder is there: another compile won the race (keep its entry), or a damaged entry is (replace it).
                if (!TryGet(manifest.ContentHash, out _, out _))
                {
                    Directory.Delete(final, recursive: true);
                    if (!TryMove(temporary, final) && !TryGet(manifest.ContentHash, out _, out _))
                        throw new IOException($"cannot store the compiled model definition in {final}");
                }
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
        return Path.Combine(final, AssemblyFileName);
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            Directory.Move(from, to);
            return true;
        }
        catch (IOException) when (Directory.Exists(to))
        {
            return false;
        }
    }

    private static CacheManifest? ReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CacheManifestJsonContext.Default.CacheManifest);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
