using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Examples.Iris;
using Determinant.Harness.Hosting;
using Determinant.Harness.TensorBoard;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;

namespace Determinant.Harness.Tests.TensorBoard;

/// <summary>TensorBoard event files: valid TFRecords with masked CRC-32C, the reported scalars at their steps, in the §7.5 directory.</summary>
[Collection("Torch")]
public sealed class TensorBoardEventTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public void Crc32CReference_MatchesPublishedCheckValues()
    {
        Assert.Equal(0xE3069283u, Crc32CReference.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0x8A9136AAu, Crc32CReference.Compute(new byte[32]));
    }

    [Fact]
    public void TfRecord_MaskedCrc32C_AgreesWithTheReference_ForRandomData()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32CReference.Masked(data), TfRecord.MaskedCrc32C(data));
        }
    }

    [Fact]
    public async Task Writer_PrefixesValidationTagsAndStampsTheInjectedClock_WhenScalarsAreWritten()
    {
        var clock = new ManualTimeProvider();
        using var output = new StringWriter();
        var writer = new TensorBoardWriter(Path.Combine(_storage.Path, "tb"), new HarnessLog(output, clock), clock);

        writer.WriteScalars(100, new Dictionary<string, double> { ["loss"] = 0.5 }, validation: false);
        writer.WriteScalars(100, new Dictionary<string, double> { ["loss"] = 0.25, ["val_accuracy"] = 0.75, ["nan"] = double.NaN }, validation: true);
        await writer.DisposeAsync();

        var events = EventFileReader.Read(writer.FilePath);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([("loss", 0.5f)], events[1].Scalars);
        Assert.Equal([("val_loss", 0.25f), ("val_nan", float.NaN), ("val_accuracy", 0.75f)], events[2].Scalars.OrderBy(s => s.Tag == "val_accuracy"));
        Assert.All(events, e => Assert.Equal(clock.Start.ToUnixTimeMilliseconds() / 1000.0, e.WallTime));
        Assert.All(events.Skip(1), e => Assert.Equal(100, e.Step));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(writer.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harness_WritesTrainingAndValidationScalars_UnderClusterExperimentTrialDirectory()
    {
        // Iris as in const.yaml, but validating every 100 batches so that a short run has two validations.
        var yaml = File.ReadAllText(Path.Combine(TrialEnvironment.IrisDirectory, "const.yaml")).Replace("batches: 1000", "batches: 100", StringComparison.Ordinal);
        var env = TrialEnvironment.For(yaml, _storage.Path, TrialEnvironment.IrisDirectory);
        env["DET_CLUSTER_ID"] = "c0ffee";
        var api = new InMemoryCoreApi(200);

        var run = await HarnessRun.RunAsync(typeof(IrisTrial), env, api);

        Assert.True(run.ExitCode == 0, run.Error);
        var directory = Path.Combine(_storage.Path, "c0ffee", "tensorboard", "experiment", "3", "trial", "11");
        var file = Assert.Single(Directory.GetFiles(directory, "events.out.tfevents.*"));
        var events = EventFileReader.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = events.Skip(1).SelectMany(e => e.Scalars.Select(s => (e.Step, s.Tag, s.Value))).ToList();
        Assert.Equal(Enumerable.Range(1, 2).Select(i => (long)i * 100), scalars.Where(s => s.Tag == "loss").Select(s => s.Step));
        Assert.Equal([100L, 200], scalars.Where(s => s.Tag == "val_categorical_accuracy").Select(s => s.Step));
        Assert.Equal(
            api.Training.Select(m => (float)m.Metrics.AvgMetrics["loss"]!.GetValue<double>()),
            scalars.Where(s => s.Tag == "loss").Select(s => s.Value));
        Assert.Equal(
            api.Validation.Select(m => (float)m.Metrics.AvgMetrics["val_categorical_accuracy"]!.GetValue<double>()),
            scalars.Where(s => s.Tag == "val_categorical_accuracy").Select(s => s.Value));
        Assert.Equal(["categorical_accuracy", "loss", "val_categorical_accuracy", "val_loss"], scalars.Select(s => s.Tag).Distinct().Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Harness_EventFiles_AreReadByProtobufsOwnParser_InPython()
    {
        // What TensorBoard itself relies on: TFRecord framing with valid CRCs, and Event messages that protobuf's runtime
        // (not Determinant's code) parses into the reported scalars at their steps.
        Skip.IfNot(File.Exists("/usr/bin/python3"), "python3 is not installed (apt-get install python3-protobuf)");
        var yaml = File.ReadAllText(Path.Combine(TrialEnvironment.IrisDirectory, "const.yaml")).Replace("batches: 1000", "batches: 100", StringComparison.Ordinal);
        var env = TrialEnvironment.For(yaml, _storage.Path, TrialEnvironment.IrisDirectory);
        env["DET_CLUSTER_ID"] = "c0ffee";
        var api = new InMemoryCoreApi(200);
        var run = await HarnessRun.RunAsync(typeof(IrisTrial), env, api);
        Assert.True(run.ExitCode == 0, run.Error);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_storage.Path, "c0ffee", "tensorboard", "experiment", "3", "trial", "11"), "events.out.tfevents.*"));

        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "TensorBoard", "read_tfevents.py"), file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var printed = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Skip.If(error.Contains("No module named 'google'", StringComparison.Ordinal), "protobuf for Python is not installed (apt-get install python3-protobuf)");
        Assert.True(python.ExitCode == 0, error);

        var events = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("brain.Event:2", (string)events[0]["file_version"]!);
        var scalars = events.Skip(1).SelectMany(e => e["scalars"]!.AsObject().Select(p => ((long)e["step"]!, p.Key, (float)(double)p.Value!))).ToList();
        Assert.Equal(
            api.Training.Select(m => ((long)m.StepsCompleted, (float)m.Metrics.AvgMetrics["loss"]!.GetValue<double>())),
            scalars.Where(s => s.Key == "loss").Select(s => (s.Item1, s.Item3)));
        Assert.Equal(
            api.Validation.Select(m => (float)m.Metrics.AvgMetrics["val_categorical_accuracy"]!.GetValue<double>()),
            scalars.Where(s => s.Key == "val_categorical_accuracy").Select(s => s.Item3));
    }

    [Fact]
    public async Task Harness_LogsOnceAndTrainsOn_WhenTheTensorBoardDirectoryCannotBeCreated()
    {
        File.WriteAllText(Path.Combine(_storage.Path, "blocked"), "a file where the cluster's directory should be");
        var env = TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none", "batches: 40"), _storage.Path, _workdir.Path);
        env["DET_CLUSTER_ID"] = "blocked";
        var api = new InMemoryCoreApi(40);

        var run = await HarnessRun.RunAsync(typeof(TinyTrial), env, api);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal([10UL, 20, 30, 40], api.Training.Select(m => m.StepsCompleted));
        Assert.Single(api.CompletedOperations);
        var warnings = run.Output.Split('\n').Where(l => l.Contains("TensorBoard", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains("training continues without TensorBoard events", warnings[0], StringComparison.Ordinal);
    }
}
