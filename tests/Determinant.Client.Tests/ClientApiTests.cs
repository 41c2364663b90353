using System.Net;
using Determinant.Protocol.Api;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary>The SDK against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class ClientApiTests(TestMaster master)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Login_GivesAClientForThatUser_AndMeAndMasterInfoAnswer()
    {
        using var admin = await master.AdminAsync();

        Assert.Equal("admin", admin.User!.Username);
        Assert.Equal("admin", (await admin.GetMeAsync(None)).Username);
        var info = await admin.GetMasterInfoAsync(None);
        Assert.Equal("determinant", info.ClusterName);
        Assert.True(Guid.TryParse(info.ClusterId, out _));
        Assert.True(await DeterminantClient.IsHealthyAsync(master.Url, None));
    }

    [Fact]
    public async Task Login_Throws401WithTheProblem_WhenThePasswordIsWrong()
    {
        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => DeterminantClient.LoginAsync(master.Url, "admin", "wrong", None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("invalid credentials", error.Problem.Detail);
    }

    [Fact]
    public async Task Logout_RevokesTheToken()
    {
        using var user = await master.NewUserAsync();
        using var sameToken = new DeterminantClient(master.Url, user.Token);

        await user.LogoutAsync(None);

        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => sameToken.GetMeAsync(None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Users_CanBeCreatedListedAndChangeTheirPassword()
    {
        using var user = await master.NewUserAsync("pw");
        var me = await user.GetMeAsync(None);
        using var elsewhere = await DeterminantClient.LoginAsync(master.Url, me.Username, TestMaster.PasswordOf(me.Username), None);

        var withoutOld = await Assert.ThrowsAsync<DeterminantApiException>(() => user.ChangePasswordAsync(me.Id, "a-new-password", None));
        await user.ChangePasswordAsync(me.Id, "a-new-password", TestMaster.PasswordOf(me.Username), None);

        Assert.Equal(HttpStatusCode.BadRequest, withoutOld.StatusCode);
        using var again = await DeterminantClient.LoginAsync(master.Url, me.Username, "a-new-password", None);
        Assert.Equal(me.Id, (await again.GetMeAsync(None)).Id);
        Assert.Equal(me.Id, (await user.GetMeAsync(None)).Id);
        var revoked = await Assert.ThrowsAsync<DeterminantApiException>(() => elsewhere.GetMeAsync(None));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        using var admin = await master.AdminAsync();
        Assert.Contains(await admin.ListUsersAsync(None), u => u.Username == me.Username && !u.Admin);
        var forbidden = await Assert.ThrowsAsync<DeterminantApiException>(() => user.CreateUserAsync("x" + me.Username, "password-x-1", false, None));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var tooShort = await Assert.ThrowsAsync<DeterminantApiException>(() => admin.CreateUserAsync("y" + me.Username, "seven-7", false, None));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("at least 8 characters", tooShort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExperiment_ReportsTheUploadUpToTheWholeBody_WhenGivenAProgress()
    {
        using var user = await master.NewUserAsync();
        var files = ModelDefinitionPackage.Scan(TestRepository.PathOf("examples/iris")).ReadFiles();
        var fractions = new List<double>();

        var created = await user.CreateExperimentAsync(IrisConst, files, activate: false, new SyncProgress(fractions.Add), None);

        Assert.True(created.Experiment.Id > 0);
        Assert.NotEmpty(fractions);
        Assert.Equal(fractions.Order(), fractions);
        Assert.Equal(1.0, fractions[^1]);
        Assert.All(fractions, f => Assert.InRange(f, 0.0, 1.0));
    }

    [Fact]
    public async Task CreateExperiment_ReturnsTheExperiment_WhichListsGetsAndPausesAndActivates()
    {
        using var user = await master.NewUserAsync();
        var package = ModelDefinitionPackage.Scan(TestRepository.PathOf("examples/iris"));

        var created = await user.CreateExperimentAsync(IrisConst, package.ReadFiles(), activate: false, None);

        var experiment = await user.GetExperimentAsync(created.Experiment.Id, None);
        Assert.Equal(ExperimentState.Paused, experiment.State);
        Assert.Equal("iris_const", experiment.Info.Name);
        Assert.False(experiment.SmallerIsBetter);
        var options = new ExperimentListOptions();
        options.Users.Add(experiment.Info.Username);
        Assert.Equal([experiment.Id], (await user.ListExperimentsAsync(options, None)).Select(e => e.Id));
        await experiment.ActivateAsync(None);
        Assert.Equal(ExperimentState.Active, (await experiment.RefreshAsync(None)).State);
        await experiment.PauseAsync(None);
        Assert.Equal(ExperimentState.Paused, (await experiment.RefreshAsync(None)).State);
        Assert.Single(await experiment.ListTrialsAsync(None));
        Assert.Empty(await experiment.ListCheckpointsAsync(CheckpointSortBy.EndTime, SortOrder.Ascending, null, None));
        Assert.Null(await experiment.TopCheckpointAsync(None));
    }

    [Fact]
    public async Task WaitAsync_ReturnsTheTerminalState_AfterAKill()
    {
        using var user = await master.NewUserAsync();
        var created = await user.CreateExperimentAsync(IrisConst, [], activate: false, None);

        await created.Experiment.KillAsync(None);
        var state = await created.Experiment.WaitAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), None);

        Assert.Equal(ExperimentState.Canceled, state);
        await created.Experiment.ArchiveAsync(None);
        Assert.True((await created.Experiment.RefreshAsync(None)).Info.Archived);
        await created.Experiment.DeleteAsync(None);
        var gone = await Assert.ThrowsAsync<DeterminantApiException>(() => user.GetExperimentAsync(created.Experiment.Id, None));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Actions_Throw403_OnAnotherUsersExperiment()
    {
        using var owner = await master.NewUserAsync("owner");
        using var other = await master.NewUserAsync("other");
        var created = await owner.CreateExperimentAsync(IrisConst, [], activate: false, None);

        var experiment = await other.GetExperimentAsync(created.Experiment.Id, None);
        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => experiment.KillAsync(None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task CreateExperiment_ThrowsWithEveryErrorLine_WhenTheConfigIsInvalid()
    {
        using var user = await master.NewUserAsync();
        const string config = "name: bad\nentrypoint: x\nsearcher: {name: random, metric: loss, max_length: {batches: 10}}\nbogus_key: 1\n";

        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => user.CreateExperimentAsync(config, [], true, None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(error.Problem.Errors, l => l.Contains("max_trials", StringComparison.Ordinal));
        Assert.Contains(error.Problem.Errors, l => l.Contains("bogus_key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTrial_AndItsMetricsAndLogs_AreReadable()
    {
        using var user = await master.NewUserAsync();
        var created = await user.CreateExperimentAsync(IrisConst, [], activate: true, None);
        var trialId = (await created.Experiment.ListTrialsAsync(None))[0].Id;
        await created.Experiment.KillAsync(None);

        var trial = await user.GetTrialAsync(trialId, None);

        Assert.Equal(created.Experiment.Id, trial.Info.ExperimentId);
        Assert.Empty(await trial.ListMetricsAsync("validation", None));
        var lines = new List<TrialLogDto>();
        await foreach (var line in trial.StreamLogsAsync(follow: false, limit: null, None))
            lines.Add(line);
        Assert.Empty(lines);
    }

    /// <summary>
    /// examples/iris/const.yaml with a script entrypoint: the master compiles trial-class entrypoints at creation, which needs the
    /// harness runner's build (.det-build/harness) that these tests do not build.
    /// </summary>
    internal static string IrisConst => File.ReadAllText(TestRepository.PathOf("examples/iris/const.yaml"))
        .Replace("entrypoint: model_def:IrisTrial", "entrypoint: ./train.sh", StringComparison.Ordinal);

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
