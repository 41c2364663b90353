using Determinant.Master.ResourceManagers;
using System.Net;

namespace Determinant.Master.Tests.Integration;

/// <summary>The cached allocation tokens: an exited allocation's token is refused at once, though it was cached while live.</summary>
public sealed class AllocationTokenCacheTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AllocationToken_IsRefused_RightAfterItsAllocationExits(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var experimentId = await admin.CreateExperimentAsync();
        var trialId = (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
        var trial = await TrialActor.StartAsync(host, trialId);
        (await trial.ReportAsync("training", 10, new() { ["loss"] = 1.0 })).EnsureSuccessStatusCode();
        (await trial.ReportAsync("training", 20, new() { ["loss"] = 0.5 })).EnsureSuccessStatusCode();

        await trial.ExitAsync(ResourceManagers.AllocationExitKind.Failed);

        Assert.Equal(HttpStatusCode.Unauthorized, (await trial.ReportAsync("training", 30, new() { ["loss"] = 0.1 })).StatusCode);
    }
}
