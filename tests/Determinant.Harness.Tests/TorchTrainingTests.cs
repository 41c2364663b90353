using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Determinant.Harness.Tests;

/// <summary>TorchSharp loads and trains on the CPU with the packages the Harness references.</summary>
/// <remarks>torch.manual_seed sets process-wide state, so every test class that seeds it joins this collection.</remarks>
[Collection("Torch")]
public sealed class TorchTrainingTests(ITestOutputHelper output)
{
    private const int Steps = 20;

    [Fact]
    public void TinyMlp_LossFallsBelowHalf_WhenTrainedTwentyStepsWithFixedSeed()
    {
        TorchRuntime.EnsureLoaded();

        var losses = Train(seed: 1234);
        output.WriteLine(string.Join(", ", losses));

        Assert.Equal(Steps, losses.Count);
        Assert.True(losses[^1] < 0.5f * losses[0], $"Loss went from {losses[0]} to {losses[^1]}.");
    }

    [Fact]
    public void TinyMlp_RepeatsEveryLoss_WhenTrainedTwiceWithSameSeed()
    {
        TorchRuntime.EnsureLoaded();

        Assert.Equal(Train(seed: 7), Train(seed: 7));
    }

    // Three classes given by the argmax of a random linear map of four features.
    private static List<float> Train(long seed)
    {
        torch.manual_seed(seed);
        using var inputs = torch.randn(64, 4);
        using var projection = torch.randn(4, 3);
        using var labels = inputs.matmul(projection).argmax(1);
        using var model = nn.Sequential(("hidden", nn.Linear(4, 16)), ("relu", nn.ReLU()), ("output", nn.Linear(16, 3)));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        using var criterion = nn.CrossEntropyLoss();

        var losses = new List<float>(Steps);
        for (var step = 0; step < Steps; step++)
        {
            using var batch = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = criterion.forward(model.forward(inputs), labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        return losses;
    }
}
