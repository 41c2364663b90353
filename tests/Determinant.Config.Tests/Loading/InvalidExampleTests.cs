namespace Determinant.Config.Tests.Loading;

/// <summary>Every invalid example of REFERENCE.md §2.12 fails with an error at the expected path naming the field.</summary>
public sealed class InvalidExampleTests
{
    public static TheoryData<string, string, string, string[]> Examples => new()
    {
        { "I1", """
            entrypoint: model_def:T
            searcher: {name: single, max_length: {batches: 5}}
            """, "<config>.searcher", ["metric", "required"] },
        { "I2", """
            entrypoint: model_def:T
            hyperparameters: {lr: {type: double, minval: 0.1, maxval: 1}}
            searcher: {name: grid, metric: l, max_length: {batches: 5}}
            """, "<config>.hyperparameters.lr", ["count", "grid"] },
        { "I3", """
            entrypoint: model_def:T
            hyperparameters: {n: {type: int, minval: 4, maxval: 4}}
            searcher: {name: single, metric: l, max_length: {batches: 5}}
            """, "<config>.hyperparameters.n", ["minval", "maxval"] },
        { "I4", """
            entrypoint: model_def:T
            searcher: {name: single, metric: l, max_length: {batches: 10, epochs: 1}}
            """, "<config>.searcher.max_length", ["\"batches\"", "\"records\"", "\"epochs\""] },
        { "I5", """
            entrypoint: model_def:T
            searcher: {name: single, metric: l, max_length: {batches: -5}}
            """, "<config>.searcher.max_length.batches", [">= 0"] },
        { "I6", """
            entrypoint: model_def:T
            searcher: {name: bayesian, metric: l}
            """, "<config>.searcher", ["\"bayesian\"", "\"single\"", "\"adaptive_asha\"", "\"pbt\""] },
        { "I7 low", Configs.Base + "\nresources: {priority: 0}", "<config>.resources.priority", [">= 1"] },
        { "I7 high", Configs.Base + "\nresources: {priority: 100}", "<config>.resources.priority", ["<= 99"] },
        { "I9 parent", Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: /mnt/ckpt, storage_path: ../x}", "<config>.checkpoint_storage", ["storage_path", "host_path"] },
        { "I9 absolute", Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: /mnt/ckpt, storage_path: /x}", "<config>.checkpoint_storage", ["storage_path"] },
        { "I9 climbing", Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: /mnt/ckpt, storage_path: a/../../x}", "<config>.checkpoint_storage", ["storage_path"] },
        { "I10", Configs.Base + "\nresources: {slots: 2}", "<config>.resources", ["\"slots\"", "not allowed"] },
        { "I11", """
            entrypoint: model_def:T
            searcher: {name: random, metric: l, max_length: 5}
            """, "<config>.searcher", ["max_trials", "required"] },
        { "I12", """
            entrypoint: model_def:T
            searcher: {name: adaptive_asha, metric: l, max_trials: 4, max_length: 100, divisor: 1}
            """, "<config>.searcher.divisor", ["> 1"] },
        { "I13", """
            entrypoint: model_def:T
            hyperparameters: {x: 1}
            searcher: {name: grid, metric: l, max_trials: 10, max_length: 100}
            """, "<config>.searcher", ["\"max_trials\"", "not allowed"] },
        { "I14", """
            entrypoint: model_def:T
            hyperparameters: {lr: {type: log, minval: -5, maxval: -1}}
            searcher: {name: single, metric: l, max_length: 100}
            """, "<config>.hyperparameters.lr", ["base", "required"] },
        { "I15", """
            entrypoint: model_def:T
            hyperparameters: {lr: {type: float, minval: 0, maxval: 1}}
            searcher: {name: single, metric: l, max_length: 100}
            """, "<config>.hyperparameters.lr", ["\"float\"", "\"const\"", "\"int\"", "\"double\"", "\"log\"", "\"categorical\""] },
        { "I16", Configs.Base + "\ncheckpoint_policy: latest", "<config>.checkpoint_policy", ["\"best\"", "\"all\"", "\"none\"", "\"latest\""] },
        { "I17", """
            entrypoint: model_def:T
            searcher: {name: adaptive_simple, metric: l, max_trials: 4, max_length: 100}
            """, "<config>.searcher", ["'adaptive_simple'", "removed"] },
        { "I18", Configs.Base + "\nworkspace: research", "<config>", ["workspace", "project"] },
        { "I19", """
            searcher: {name: single, metric: l, max_length: {batches: 5}}
            """, "<config>", ["entrypoint", "required"] },
        { "I20", """
            entrypoint: model_def:T
            hyperparameters: {global_batch_size: 32}
            searcher: {name: single, metric: l, max_length: {epochs: 3}}
            """, "<config>.records_per_epoch", ["> 0", "epochs"] },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Load_ReportsTheFieldAtItsPath_ForEachInvalidExample(string label, string yaml, string path, string[] words)
    {
        Assert.NotEmpty(label);
        Expect.Line(Configs.ErrorLines(yaml), path, words);
    }

    [Fact]
    public void Load_ReportsBothMountProblems_ForI8()
    {
        var lines = Configs.ErrorLines(Configs.Base + "\nbind_mounts: [{host_path: data, container_path: .}]");

        Expect.Line(lines, "<config>.bind_mounts[0].host_path", "host_path", "absolute");
        Expect.Line(lines, "<config>.bind_mounts[0].container_path", "container_path", "\".\"");
        Assert.Equal(2, lines.Count);
    }

    [Theory]
    [InlineData("adaptive")]
    [InlineData("sync_halving")]
    public void Load_RejectsRemovedSearchers_ByName(string name)
    {
        var lines = Configs.ErrorLines($"entrypoint: a:B\nsearcher: {{name: {name}, metric: l}}");

        Expect.Line(lines, "<config>.searcher", $"'{name}'", "removed");
    }
}
