using Determinant.ModelDefinitions;

// stdout carries the answers alone: anything else that writes to the console goes to stderr.
var answers = Console.OpenStandardOutput();
Console.SetOut(Console.Error);
return CompileWorker.Run(Console.OpenStandardInput(), answers);
