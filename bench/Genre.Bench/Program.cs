using Genre.Bench;

var mode = args.Length > 0 ? args[0] : "probe";
var threads = args.Length > 1 ? int.Parse(args[1]) : Environment.ProcessorCount;
switch (mode)
{
    case "probe": Probe.Run(threads, args.Length <= 2 || args[2] != "notune"); break;
    default: Console.Error.WriteLine($"unknown mode {mode}"); return 2;
}
return 0;
