namespace Determinant.Harness.Tests.Support;

/// <summary>Experiment configs for loop tests: the tiny trial with a batch size of 8 (5 batches per epoch of 40 records).</summary>
internal static class Configs
{
    public static string Tiny(string extra = "", string maxLength = "batches: 100") => $"""
        name: tiny
        hyperparameters:
          global_batch_size: 8
        searcher:
          name: single
          metric: validation_loss
          max_length:
            {maxLength}
        scheduling_unit: 10
        records_per_epoch: 40
        entrypoint: model_def:TinyTrial
        {extra}
        """;
}
