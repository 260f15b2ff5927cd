using NeuralAtlas.Bench;

var benches = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/NeuralAtlas.Bench -- NAME [args]");
    foreach (var b in benches) Console.WriteLine($"  {b.Name,-24} {b.Description}");
    return 0;
}
var bench = benches.FirstOrDefault(b => b.Name == args[0]);
if (bench is null)
{
    Console.Error.WriteLine($"bench: no benchmark named '{args[0]}'; run with --help for the list");
    return 2;
}
Console.WriteLine($"# {bench.Name} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
return bench.Run(args[1..]);
