using System.Formats.Tar;
using System.IO.Compression;
using Determinant.Agent.Tasks;
using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class ModelDefinitionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("det-agent-extract-").FullName;

    [Fact]
    public async Task Extract_WritesFilesAndDirectories_WhenEntriesStayInside()
    {
        var archive = TarGz(("model_def.py", "print('hi')"), ("data/", null), ("data/nested/x.txt", "x"));

        await ModelDefinitionExtractor.ExtractAsync(new MemoryStream(archive), _root, CancellationToken.None);

        Assert.Equal("print('hi')", await File.ReadAllTextAsync(Path.Combine(_root, "model_def.py")));
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Combine(_root, "data", "nested", "x.txt")));
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("data/../../escaped.txt")]
    [InlineData("/tmp/escaped.txt")]
    public async Task Extract_Refuses_WhenEntryEscapesTheDirectory(string name)
    {
        var inner = Path.Combine(_root, "work");
        Directory.CreateDirectory(inner);
        var archive = TarGz((name, "evil"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => ModelDefinitionExtractor.ExtractAsync(new MemoryStream(archive), inner, CancellationToken.None));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "escaped.txt")));
    }

    [Fact]
    public async Task Extract_Refuses_WhenEntryIsASymbolicLink()
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/etc" });

        await Assert.ThrowsAsync<InvalidDataException>(
            () => ModelDefinitionExtractor.ExtractAsync(new MemoryStream(buffer.ToArray()), _root, CancellationToken.None));
    }

    [Fact]
    public async Task Launch_ExtractsModelDefinitionFromMasterUrl_IntoTheWorkingDirectory()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var url = master.Serve("model.tar.gz", TarGz(("model_def.txt", "the model\n"), ("sub/", null), ("sub/more.txt", "more\n")));

        master.Enqueue(AgentUnderTest.Shell(allocation, "cat model_def.txt sub/more.txt", modelDefinition: new ModelDefinitionSource(Url: url)));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(0, exited.Event.ExitCode);
        Assert.Equal(["the model\n", "more\n"], master.LogsOf(allocation).Select(l => l.Log));
    }

    [Fact]
    public async Task Launch_FailsWithoutRunningTheProcess_WhenInlineModelDefinitionEscapes()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var inline = Convert.ToBase64String(TarGz(("ok.txt", "ok"), ("../evil.txt", "evil")));

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo ran", modelDefinition: new ModelDefinitionSource(TarGzBase64: inline)));
        var exited = await master.ExitedAsync(allocation);

        Assert.Null(exited.Event.ExitCode);
        Assert.Contains("escapes", exited.Event.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(master.LogsOf(allocation), l => l.Log == "ran\n");
        Assert.False(File.Exists(Path.Combine(agent.WorkDir, "evil.txt")));
        Assert.DoesNotContain(master.Events, e => e.AllocationId == allocation && e.Event.State == AllocationStates.Running);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal static byte[] TarGz(params (string Name, string? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new PaxTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                if (content is not null)
                    entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
                tar.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }
}
