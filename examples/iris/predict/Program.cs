// This file sits inside the Iris model definition folder. examples/iris/.detignore keeps `det experiment create` from
// sending it, and the guard below leaves it empty for anything else that compiles every .cs file of the folder as the
// model definition; IrisPredict.csproj defines IRIS_PREDICT.
#if IRIS_PREDICT
using System.Globalization;
using Determinant.Client;
using Determinant.Client.Torch;
using static TorchSharp.torch;

// dotnet run --project examples/iris/predict -- EXPERIMENT_ID
// Logs in from DET_MASTER, DET_USER and DET_PASS, downloads the experiment's best checkpoint, rebuilds the trial from the
// code stored with it and predicts the species of three flowers: 0 setosa, 1 versicolor, 2 virginica.
if (args.Length != 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var experimentId))
{
    await Console.Error.WriteLineAsync("usage: dotnet run --project examples/iris/predict -- EXPERIMENT_ID");
    return 2;
}

try
{
    using var client = await Client.LoginFromEnvironmentAsync();
    var experiment = await client.GetExperimentAsync(experimentId);
    var best = await experiment.TopCheckpointAsync();
    if (best is null)
    {
        await Console.Error.WriteLineAsync($"experiment {experimentId} has no checkpoint with a validation metric yet");
        return 1;
    }

    var directory = Path.Combine("checkpoints", best.Uuid);
    using var trial = await best.LoadTrialAsync(client, directory, progress: null, options: null, CancellationToken.None);
    Console.WriteLine($"Checkpoint {best.Uuid} of trial {best.TrialId} ({best.StepsCompleted} batches, validation metric {best.SearcherMetric?.ToString("0.####", CultureInfo.InvariantCulture)})");

    // sepal length, sepal width, petal length, petal width (cm)
    float[] flowers = [5.0f, 3.9f, 2.0f, 0.5f, 5.0f, 2.5f, 3.0f, 1.0f, 6.9f, 3.1f, 5.4f, 2.1f];
    using var inputs = tensor(flowers, [3, 4]);
    foreach (var row in trial.PredictProbabilities(inputs))
        Console.WriteLine(string.Join(' ', row.Select(p => p.ToString("0.0000", CultureInfo.InvariantCulture))));
    Console.WriteLine(string.Join(' ', trial.PredictClasses(inputs)));
    return 0;
}
catch (Exception e) when (e is DeterminantApiException or InvalidDataException or InvalidOperationException or IOException)
{
    await Console.Error.WriteLineAsync($"predict: {e.Message}");
    return 1;
}
#endif
