using Determinant.Harness.Tests.Fakes;

namespace Determinant.Harness.Tests.Support;

/// <summary>Runs a trial class through <see cref="HarnessMain"/> with an in-memory master and captured output.</summary>
internal sealed record HarnessRun(int ExitCode, string Output, string Error)
{
    public static async Task<HarnessRun> RunAsync(Type trialType, Dictionary<string, string?> environment, InMemoryCoreApi api, Func<Guid>? uuids = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = new HarnessOptions { Output = output, Error = error, NewCheckpointUuid = uuids ?? Guid.NewGuid };
        var code = await HarnessMain.RunAsync(trialType, environment, api, options, CancellationToken.None);
        return new HarnessRun(code, output.ToString(), error.ToString());
    }
}
