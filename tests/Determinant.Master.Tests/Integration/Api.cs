using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>Small JSON helpers over the REST API.</summary>
public static class Api
{
    public const string SingleConfig = """
        name: single-test
        entrypoint: python3 train.py
        hyperparameters:
          lr: 0.1
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 500
        """;

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> PostOkAsync(this HttpClient client, string path, object? body = null)
    {
        var response = await client.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Posts and expects a problem with <paramref name="status"/>; returns the problem.</summary>
    public static async Task<JsonObject> PostProblemAsync(this HttpClient client, string path, object body, HttpStatusCode status)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"POST {path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<int> CreateExperimentAsync(this HttpClient client, string config = SingleConfig, bool activate = true, object[]? files = null)
    {
        var created = await client.PostOkAsync("/api/v1/experiments", new { config, activate, modelDefinition = files ?? [] });
        return (int)created["experiment"]!["id"]!;
    }

    public static async Task<string> ExperimentStateAsync(this HttpClient client, int id) =>
        (string)(await client.GetJsonAsync($"/api/v1/experiments/{id}"))["experiment"]!["state"]!;

    public static async Task<JsonArray> TrialsAsync(this HttpClient client, int experimentId) =>
        (await client.GetJsonAsync($"/api/v1/experiments/{experimentId}/trials"))["trials"]!.AsArray();

    public static async Task<int> ExperimentCountAsync(this HttpClient client) =>
        (int)(await client.GetJsonAsync("/api/v1/experiments"))["pagination"]!["total"]!;
}
