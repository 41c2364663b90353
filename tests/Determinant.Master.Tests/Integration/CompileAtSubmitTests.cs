using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using Determinant.Testing;

namespace Determinant.Master.Tests.Integration;

public sealed class CompileAtSubmitTests
{
    private const string Config = """
        name: compiled
        entrypoint: model_def:MyTrial
        hyperparameters:
          lr: 0.1
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    private const string CompilingTrial = """
        namespace Mine;
        public sealed class MyTrial(Determinant.Harness.TrialContext context) : Determinant.Harness.TorchTrial(context)
        {
            public override double Loss() => 1;
        }
        """;

    private static object File(string path, string code) =>
        new { path, type = 48, content = Convert.ToBase64String(Encoding.UTF8.GetBytes(code)), mode = 420 };

    private static object[] Files(string code) => [File("model_def.cs", code)];

    [Fact]
    public Task Create_Refuses400NamingTheStackLimit_AndTheMasterServesOn_WhenLambdasNestThousandsDeep() =>
        AssertRefusedThenCreatesAsync([], CompilerBombs.NestedLambdas(),
            "the model definition could not be compiled: the compiler ran past its stack limit of 16 MiB (model_compile_stack_mib)");

    [Fact]
    public Task Create_Refuses400NamingTheTimeLimit_AndTheNextCreateCompiles_WhenTheCompilerRunsPastIt() =>
        AssertRefusedThenCreatesAsync(["--model-compile-timeout-seconds", "1"], CompilerBombs.OverloadedLambdas(),
            "the model definition could not be compiled: the compiler ran past its time limit of 1 s (model_compile_timeout_seconds)");

    /// <summary>A submit with <paramref name="bomb"/> gets a 400 with <paramref name="detail"/> and creates nothing; the master stays up and compiles the next one.</summary>
    private static async Task AssertRefusedThenCreatesAsync(string[] extraArgs, string bomb, string detail)
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, ["--harness-dir", FakeHarness.Directory, .. extraArgs]);
        var admin = await host.LoginAsync();
        object[] files = [File("model_def.cs", CompilingTrial), File("bomb.cs", bomb)];

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Config, modelDefinition = files }, HttpStatusCode.BadRequest);

        Assert.Equal(detail, (string)problem["detail"]!);
        Assert.Equal(0, await admin.ExperimentCountAsync());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
        await admin.CreateExperimentAsync(Config, files: Files(CompilingTrial));
        Assert.Equal(1, await admin.ExperimentCountAsync());
    }

    [Fact]
    public async Task Create_Refuses400WithEachCompilerErrorLine_AndCreatesNothing_WhenTheTrialDoesNotCompile()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", FakeHarness.Directory);
        var admin = await host.LoginAsync();
        const string code = """
            using Determinant.Harness;
            public sealed class MyTrial : TorchTrial
            {
                public MyTrial(TrialContext context) : base(context) { }
                public override double Loss() => undefinedName;
                private int _x = "text";
            }
            """;

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Config, modelDefinition = Files(code) }, HttpStatusCode.BadRequest);

        Assert.Equal("the model definition does not compile", (string)problem["detail"]!);
        var errors = problem["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.StartsWith("model_def.cs(5,38): error CS0103:", StringComparison.Ordinal) && e.Contains("undefinedName", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("model_def.cs(6,22): error CS0029:", StringComparison.Ordinal));
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    [Fact]
    public async Task Create_StoresTheCompiledAssemblyInTheArchive_WhenTheTrialCompiles()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", FakeHarness.Directory);
        var admin = await host.LoginAsync();

        var id = await admin.CreateExperimentAsync(Config, files: Files(CompilingTrial));

        var archive = Convert.FromBase64String((string)(await admin.GetJsonAsync($"/api/v1/experiments/{id}/model_def"))["b64Tgz"]!);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var tar = new TarReader(new GZipStream(new MemoryStream(archive), CompressionMode.Decompress)))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[entry.Name] = data.ToArray();
            }
        }
        Assert.Contains("model_def.cs", entries.Keys);
        Assert.True(entries[".determinant/model.dll"].Length > 0);
        Assert.Contains("\"trialTypeName\":\"Mine.MyTrial\"", Encoding.UTF8.GetString(entries[".determinant/model.json"]), StringComparison.Ordinal);
    }
}
