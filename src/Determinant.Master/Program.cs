using Determinant.Master.Hosting;

await using var app = MasterApp.Build(args);
await MasterApp.InitializeAsync(app, CancellationToken.None);
await app.RunAsync();
