using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Testing;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>
/// The walk-through's notebook: the seed's Notebook-config.yaml (no slot, a bind mount, idle_timeout 30m) started with
/// <c>det notebook start</c> and a context directory, a Python kernel run through the master's proxy that reads the
/// mounted file, a C# kernel (.NET Interactive) that reads it too and, with the SDK the agent provides (<c>DET_SDK_DIR</c>),
/// predicts the three flowers from the best checkpoint of the walk-through's experiment, the proxy's refusals,
/// <c>det notebook kill</c>, and a notebook ended by a short idle timeout.
/// </summary>
public sealed partial class WalkThroughTests
{
    private static async Task NotebooksAsync(LocalClusterFixture cluster, int experimentId)
    {
        var shared = Path.Combine(cluster.Root, "shared-fs");
        Directory.CreateDirectory(shared);
        await File.WriteAllTextAsync(Path.Combine(shared, "flowers.txt"), "setosa versicolor virginica");
        var config = Path.Combine(cluster.Root, "Notebook-config.yaml");
        await File.WriteAllTextAsync(config, $"""
            description: iris-notebook
            resources:
              slots: 0
            bind_mounts:
              - host_path: {shared}
                container_path: /determined_shared_fs
            idle_timeout: 30m
            """);
        var context = Path.Combine(cluster.Root, "notebook-context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "flowers.txt"), "from the context");
        var start = await cluster.DetAsync(null, TimeSpan.FromMinutes(2), "notebook", "start", "--config-file", config, "--context", context);
        Assert.True(start.Code == 0, start.ToString());
        var id = IdAfter(start, "Launched notebook (id: ", ", ");
        Assert.Contains($"Jupyter Notebook is running at: {cluster.Master}/proxy/{id}/", start.Lines);

        using var http = new HttpClient { BaseAddress = new Uri(cluster.Master) };
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = "determined", password = LocalClusterFixture.Password });
        login.EnsureSuccessStatusCode();
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        using var anonymous = new HttpClient { BaseAddress = new Uri(cluster.Master) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/proxy/{id}/api/kernels")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/proxy/{id}/tree")).StatusCode);

        // A Python kernel, through the proxy, reads the bind-mounted file and one of the notebook's context directory.
        var kernel = await http.PostAsJsonAsync($"/proxy/{id}/api/kernels", new { name = "python3" });
        Assert.True(kernel.IsSuccessStatusCode, await kernel.Content.ReadAsStringAsync());
        var kernelId = (string)(await kernel.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var output = await ExecuteAsync(cluster.Master, token, id, kernelId, "print(open('/determined_shared_fs/flowers.txt').read() + ' / ' + open('flowers.txt').read())");
        Assert.Equal("setosa versicolor virginica / from the context", output.Trim());

        // A C# kernel reads the mounted file and finds the SDK; then, as examples/iris/predict does, it loads the best
        // checkpoint of the const experiment with the task's own token (DET_MASTER, DET_USER_TOKEN) and predicts.
        var csharp = await http.PostAsJsonAsync($"/proxy/{id}/api/kernels", new { name = ".net-csharp" });
        Assert.True(csharp.IsSuccessStatusCode, await csharp.Content.ReadAsStringAsync());
        var csharpId = (string)(await csharp.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var found = await ExecuteAsync(cluster.Master, token, id, csharpId,
            """Console.WriteLine(System.IO.File.ReadAllText("/determined_shared_fs/flowers.txt") + "\n" + Environment.GetEnvironmentVariable("DET_SDK_DIR"));""",
            TimeSpan.FromMinutes(3));
        var lines = found.Trim().Split('\n');
        Assert.Equal(["setosa versicolor virginica", TestRepository.PathOf(".det-build/sdk")], lines);
        var predicted = await ExecuteAsync(cluster.Master, token, id, csharpId, $$"""
            #r "{{lines[1]}}/Determinant.Client.Torch.dll"
            using System.IO;
            using System.Threading;
            using Determinant.Client;
            using Determinant.Client.Torch;
            using static TorchSharp.torch;
            var client = await Client.LoginFromEnvironmentAsync();
            var experiment = await client.GetExperimentAsync({{experimentId}});
            var best = await experiment.TopCheckpointAsync();
            var trial = await best!.LoadTrialAsync(client, Path.Combine("checkpoints", best.Uuid), progress: null, options: null, CancellationToken.None);
            float[] flowers = [5.0f, 3.9f, 2.0f, 0.5f, 5.0f, 2.5f, 3.0f, 1.0f, 6.9f, 3.1f, 5.4f, 2.1f];
            Console.WriteLine(string.Join(' ', trial.PredictClasses(tensor(flowers, [3, 4]))));
            """, TimeSpan.FromMinutes(5));
        Assert.Equal("0 1 2", predicted.Trim().Split('\n')[^1]);

        var kill = await cluster.DetAsync("notebook", "kill", id);
        Assert.Equal($"Killed notebook {id}", kill.Output.Trim());
        await PollAsync(async () => (await http.GetAsync($"/proxy/{id}/tree")).StatusCode == HttpStatusCode.NotFound,
            $"the proxy to answer 404 for notebook {id}", TimeSpan.FromMinutes(1));

        // A notebook nobody uses ends after its idle timeout, and its logs say why.
        var idle = await cluster.DetAsync(null, TimeSpan.FromMinutes(2), "notebook", "start", "--config", "resources.slots=0", "--config", "idle_timeout=3s");
        Assert.True(idle.Code == 0, idle.ToString());
        var idleId = IdAfter(idle, "Launched notebook (id: ", ", ");
        await PollAsync(async () => Csv.Parse((await cluster.DetAsync("notebook", "list", "--csv")).Output)
                .Any(n => n["Id"] == idleId && n["State"] == "TERMINATED"), $"notebook {idleId} to end idle", TimeSpan.FromMinutes(1));
        var logs = await cluster.DetAsync("notebook", "logs", idleId);
        Assert.Contains(logs.Lines, l => l.Contains("killing it (idle_timeout)", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="code"/> in a kernel over Jupyter's WebSocket channels; returns what it printed on stdout and the
    /// plain text of what it displayed (.NET Interactive sends a cell's value as <c>execute_result</c> or <c>display_data</c>).
    /// </summary>
    private static async Task<string> ExecuteAsync(string master, string token, string notebookId, string kernelId, string code, TimeSpan? within = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var url = new UriBuilder(master) { Scheme = "ws", Path = $"/proxy/{notebookId}/api/kernels/{kernelId}/channels" }.Uri;
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(2));
        await socket.ConnectAsync(url, timeout.Token);
        var msgId = Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["header"] = new JsonObject { ["msg_id"] = msgId, ["username"] = "test", ["session"] = Guid.NewGuid().ToString("N"), ["msg_type"] = "execute_request", ["version"] = "5.3" },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = false, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false },
            ["channel"] = "shell",
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var printed = new StringBuilder();
        var errors = new StringBuilder();
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            var reply = JsonNode.Parse(message.ToArray())!.AsObject();
            if ((string?)reply["parent_header"]?["msg_id"] != msgId)
                continue;
            var type = (string)reply["header"]!["msg_type"]!;
            var content = reply["content"]!;
            if (type == "stream")
                ((string?)content["name"] == "stderr" ? errors : printed).Append((string)content["text"]!);
            else if (type is "execute_result" or "display_data" && (string?)content["data"]?["text/plain"] is { } text)
                printed.Append(text).Append('\n');
            else if (type == "error")
                Assert.Fail($"the cell failed: {content.ToJsonString()}\nstderr: {errors}\nstdout: {printed}");
            else if (type == "status" && (string?)reply["content"]!["execution_state"] == "idle")
                return printed.ToString();
        }
    }
}
