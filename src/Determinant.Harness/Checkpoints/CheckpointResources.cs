namespace Determinant.Harness.Checkpoints;

/// <summary>The <c>resources</c> of a checkpoint: each relative path with its size; directories end in <c>/</c> with size 0.</summary>
internal static class CheckpointResources
{
    public static SortedDictionary<string, long> Of(string directory)
    {
        var resources = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry is DirectoryInfo)
                resources[relative + "/"] = 0;
            else
                resources[relative] = ((FileInfo)entry).Length;
        }

        return resources;
    }
}
