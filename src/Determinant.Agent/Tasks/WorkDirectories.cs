using Determinant.Agent.Hosting;
using Determinant.Agent.Master;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Tasks;

/// <summary>Each allocation's fresh working directory, <c>&lt;work_dir&gt;/&lt;allocation id&gt;/</c>, holding its model definition.</summary>
internal sealed class WorkDirectories(IOptions<AgentOptions> options, MasterClient master)
{
    private readonly AgentOptions _options = options.Value;

    public string PathOf(string allocationId)
    {
        if (string.IsNullOrWhiteSpace(allocationId) || allocationId is "." or ".." || allocationId.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw new ArgumentException($"allocation id '{allocationId}' cannot name a directory", nameof(allocationId));
        return Path.Combine(Path.GetFullPath(_options.WorkDir), allocationId);
    }

    /// <summary>Creates the directory (emptying a leftover of the same name) and extracts the model definition into it.</summary>
    public async Task<string> PrepareAsync(LaunchCommand launch, CancellationToken cancellationToken)
    {
        var directory = PathOf(launch.AllocationId);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        switch (launch.ModelDefinition)
        {
            case { TarGzBase64: { } inline }:
                using (var archive = new MemoryStream(Convert.FromBase64String(inline)))
                    await ModelDefinitionExtractor.ExtractAsync(archive, directory, cancellationToken).ConfigureAwait(false);
                break;
            case { Url: { } url }:
                using (var response = await master.GetModelDefinitionAsync(url, cancellationToken).ConfigureAwait(false))
                {
                    var archive = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (archive.ConfigureAwait(false))
                        await ModelDefinitionExtractor.ExtractAsync(archive, directory, cancellationToken).ConfigureAwait(false);
                }
                break;
        }
        return directory;
    }

    public void Remove(string allocationId)
    {
        if (_options.KeepWorkDirs)
            return;
        var directory = PathOf(allocationId);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }
}
