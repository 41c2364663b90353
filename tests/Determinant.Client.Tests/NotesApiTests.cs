using Determinant.Master.Domain;
using System.Net;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary><c>Experiment.SetNotesAsync</c> and <c>Trial.SetNotesAsync</c> against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class NotesApiTests(TestMaster master)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Config = """
        name: sdk-notes
        entrypoint: ./train.sh
        hyperparameters:
          lr: 0.1
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    [Fact]
    public async Task SetNotes_StoresTheTextOnExperimentAndTrial_AndAnotherUserIsRefused()
    {
        using var owner = await master.NewUserAsync();
        using var other = await master.NewUserAsync();
        var experiment = (await owner.CreateExperimentAsync(Config, [], activate: true, projectId: null, uploadProgress: null, None)).Experiment;
        Assert.Null(experiment.Notes);

        const string text = "tried lr 0.1\n<b>worse</b> than 0.01";
        Assert.Same(experiment, await experiment.SetNotesAsync(text, None));
        Assert.Equal(text, experiment.Notes);
        Assert.Equal(text, (await other.GetExperimentAsync(experiment.Id, None)).Notes);

        var trial = Assert.Single(await experiment.ListTrialsAsync(None));
        Assert.Null(trial.Notes);
        await trial.SetNotesAsync("trial note", None);
        Assert.Equal("trial note", trial.Notes);
        Assert.Equal("trial note", (await other.GetTrialAsync(trial.Id, None)).Notes);

        var tooLong = await Assert.ThrowsAsync<DeterminantApiException>(() => experiment.SetNotesAsync(new string('x', 64 * 1024 + 1), None));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("notes: must be at most 65536 bytes", tooLong.Message, StringComparison.Ordinal);
        var othersExperiment = await other.GetExperimentAsync(experiment.Id, None);
        var forbidden = await Assert.ThrowsAsync<DeterminantApiException>(() => othersExperiment.SetNotesAsync("not mine", None));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var othersTrial = await other.GetTrialAsync(trial.Id, None);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<DeterminantApiException>(() => othersTrial.SetNotesAsync("x", None))).StatusCode);

        Assert.Equal(text, (await owner.GetExperimentAsync(experiment.Id, None)).Notes);
        Assert.Null((await experiment.SetNotesAsync("", None)).Notes);
    }
}
