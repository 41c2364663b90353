using System.Net;

namespace Determinant.Master.Tests.Integration;

/// <summary>Model-definition entries an agent could not extract are refused at submit with a 400 naming the entry; nothing is created.</summary>
public sealed class ModelDefinitionPathTests
{
    private static object File(string path, int type = 48, long mtime = 0) =>
        new { path, type, content = type == 48 ? "cHJpbnQoMSk=" : "", mode = 420, mtime };

    public static TheoryData<string, object[], string> Refused => new()
    {
        { "NUL", [File("train\0.py")], "control character U+0000 at position 5" },
        { "dot", [File(".", type: 53)], "'.' part" },
        { "dot prefix", [File("./train.py")], "'.' part" },
        { "dot inside", [File("pkg/./train.py")], "'.' part" },
        { "empty part", [File("pkg//train.py")], "empty or '.' part" },
        { "dot-dot", [File("pkg/../../x.py")], "escapes the model directory" },
        { "duplicate file", [File("train.py"), File("train.py")], "'train.py' appears more than once" },
        { "duplicate directory", [File("pkg", type: 53), File("pkg/", type: 53)], "appears more than once" },
        { "duplicate by separator", [File("pkg/a.py"), File("pkg\\a.py")], "appears more than once" },
        { "file as directory", [File("a"), File("a/b.py")], "lies under 'a', which is a file" },
        { "mtime too large", [File("train.py", mtime: 1_000_000_000_000_000)], "mtime 1000000000000000, outside" },
        { "mtime too small", [File("train.py", mtime: long.MinValue)], "outside -62135596800..253402300799" },
        { "long name", [File(new string('n', 256) + ".py")], "255 per name" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Create_Answers400NamingTheEntry_AndCreatesNothing(string name, object[] modelDefinition, string words)
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition }, HttpStatusCode.BadRequest);

        Assert.True(((string)problem["detail"]!).Contains(words, StringComparison.Ordinal), $"{name}: {problem["detail"]}");
        Assert.Equal(0, await admin.ExperimentCountAsync());
        Assert.Equal("ok", (string)(await host.Client.GetJsonAsync("/health"))["status"]!);
    }

    [Fact]
    public async Task Create_AcceptsADirectoryWithATrailingSlash_AndEveryMtimeInRange()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        object[] files = [File("pkg/", type: 53, mtime: -62_135_596_800), File("pkg/train.py", mtime: 253_402_300_799), File("README", mtime: 1_700_000_000)];

        await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files });

        Assert.Equal(1, await admin.ExperimentCountAsync());
    }

    [Fact]
    public async Task Create_RefusesMoreEntriesThanTheLimit()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var files = Enumerable.Range(0, Experiments.ModelDefinitionArchive.MaxEntries + 1).Select(i => new { path = $"d{i}", type = 53, content = "", mode = 493 }).ToArray();

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files }, HttpStatusCode.BadRequest);

        Assert.Contains($"over the limit of {Experiments.ModelDefinitionArchive.MaxEntries}", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }
}
