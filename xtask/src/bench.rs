//! `cargo xtask bench`: how fast codegen is on a docs tree, against the floor of just
//! reading every page and running pulldown-cmark over it. Median of several runs, in
//! one process, on a copy of the docs under target/bench/.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use generator::emit::Options;
use generator::output::Mode;
use pulldown_cmark::{Options as MarkdownOptions, Parser};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time_runs(runs: usize, mut run: impl FnMut() -> Result<()>) -> Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        run()?;
        times.push(started.elapsed());
    }
    Ok(median(times))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            markdown_files(&entry.path(), out)?;
        } else if entry.path().extension().is_some_and(|e| e == "md") {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// The floor: read every page and run pulldown-cmark over it, on one thread.
fn floor(docs: &Path) -> Result<usize> {
    let mut files = Vec::new();
    markdown_files(docs, &mut files)?;
    let options =
        MarkdownOptions::ENABLE_TABLES | MarkdownOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut events = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        events += Parser::new_ext(&text, options).count();
    }
    Ok(events)
}

/// A resource page whose type is used by few others, to change between runs.
fn page_to_change(docs: &Path) -> Result<PathBuf> {
    let mut files = Vec::new();
    markdown_files(&docs.join("resources"), &mut files)?;
    files.sort();
    files
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(f).is_ok_and(|t| {
                t.contains("doc_type: resourcePageType")
                    && t.contains("|Property|Type|Description|")
            })
        })
        .context("no resource page with a property table to change")
}

pub fn run(root: &Path, docs: &Path, runs: usize, areas: Option<&[String]>) -> Result<()> {
    let scratch = root.join("target/bench");
    let copy = scratch.join("docs");
    let out = scratch.join("out");
    let cache = scratch.join("codegen-cache.json");
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build, several times slower; the figures that count \
             come from `cargo run --release -p xtask -- bench`"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    copy_tree(docs, &copy).with_context(|| format!("copying {}", docs.display()))?;
    println!(
        "bench: {} on {} core(s), median of {runs} runs",
        docs.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let floor_time = time_runs(runs, || floor(&copy).map(drop))?;
    let cold = time_runs(runs, || {
        let _ = std::fs::remove_dir_all(&out);
        generator::codegen(&copy, &out, Mode::Write, Options::default(), Some(&cache))?;
        Ok(())
    })?;
    // What `cargo xtask codegen` does over unchanged docs: fingerprint them, and find
    // the output as the last run left it.
    let noop = time_runs(runs, || {
        let inputs = generator::inputs(&copy, Options::default())?;
        if generator::up_to_date(&out, &cache, &inputs).is_none() {
            bail!("a no-op rerun did not find the output up to date");
        }
        Ok(())
    })?;
    // And what a run that reads everything again makes of it: nothing to write.
    let (_, again) =
        generator::codegen(&copy, &out, Mode::Write, Options::default(), Some(&cache))?;
    if !again.written.is_empty() {
        bail!(
            "a rerun over unchanged docs wrote {} file(s)",
            again.written.len()
        );
    }
    let check = time_runs(runs, || {
        let (_, outcome) =
            generator::codegen(&copy, &out, Mode::Check, Options::default(), Some(&cache))?;
        if !outcome.drift.is_empty() {
            bail!("--check found drift on an up-to-date folder");
        }
        Ok(())
    })?;
    let page = page_to_change(&copy)?;
    let original = std::fs::read_to_string(&page)?;
    let mut rewritten = Vec::new();
    let mut toggle = false;
    let changed = time_runs(runs, || {
        toggle = !toggle;
        let text = if toggle {
            original.replacen("|Property|Type|Description|\n|:---|:---|:---|\n", "|Property|Type|Description|\n|:---|:---|:---|\n|benchmarkNote|String|Added by the benchmark.|\n", 1)
        } else {
            original.clone()
        };
        std::fs::write(&page, text)?;
        let (_, outcome) =
            generator::codegen(&copy, &out, Mode::Write, Options::default(), Some(&cache))?;
        rewritten.push(outcome.written.len());
        Ok(())
    })?;
    std::fs::write(&page, &original)?;

    let ratio = |d: Duration| d.as_secs_f64() / floor_time.as_secs_f64();
    println!(
        "1. floor (read + pulldown-cmark, 1 thread): {:>8.3} s",
        floor_time.as_secs_f64()
    );
    println!(
        "2. codegen into an empty folder:            {:>8.3} s  ({:.2}x floor)",
        cold.as_secs_f64(),
        ratio(cold)
    );
    println!(
        "3. no-op rerun (writes 0 files):            {:>8.3} s  ({:.2}x floor)",
        noop.as_secs_f64(),
        ratio(noop)
    );
    println!(
        "   --check on an up-to-date folder:         {:>8.3} s  ({:.2}x floor)",
        check.as_secs_f64(),
        ratio(check)
    );
    println!(
        "4. rerun after one page changed:            {:>8.3} s  ({:.2}x floor), files rewritten per run: {:?} ({})",
        changed.as_secs_f64(),
        ratio(changed),
        rewritten,
        page.strip_prefix(&copy).unwrap_or(&page).display()
    );

    // Peak memory of a whole codegen run, in a process of its own.
    let _ = std::fs::remove_dir_all(&out);
    let exe = std::env::current_exe()?;
    let child = Command::new(exe)
        .args(["codegen", "--docs"])
        .arg(&copy)
        .arg("--out")
        .arg(&out)
        .env("XTASK_PEAK_MEMORY", "1")
        .output()?;
    let stderr = String::from_utf8_lossy(&child.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .unwrap_or("unknown");
    println!("5. peak memory of codegen (empty folder):   {peak}");

    generator::codegen(&copy, &out, Mode::Write, Options { standalone: true }, None)?;
    let target = root.join("target/corpus/target");
    throughput(&copy, &out, &root.join("target/bench/throughput"), &target)?;
    let Some(areas) = areas else { return Ok(()) };
    // The generated crates alone (the crate, its runtime and its parts), their
    // dependencies already built, without incremental compilation (what a user's first
    // build of them costs).
    let manifest = out.join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_command = |verb: &str, features: &[String]| -> Command {
        let mut command = Command::new(&cargo);
        command
            .args([verb, "--lib", "--quiet", "--timings", "--manifest-path"])
            .arg(&manifest)
            .args(features)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0");
        command
    };
    // The generated crate and the crates under it (its runtime, the parts of its types).
    let mut packages = vec![generator::emit::CRATE.to_owned()];
    for entry in std::fs::read_dir(out.join("crates"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        packages.push(generator::emit::package(&name).0);
    }
    let exe = std::env::current_exe()?;
    let mut warm = std::collections::HashSet::new();
    let mut measure = |verb: &str, features: &[String]| -> Result<Measured> {
        // Dependencies first (their features do not change with ours), then the crate alone.
        if warm.insert(verb.to_owned()) {
            cargo_command(verb, features).status()?;
        }
        Command::new(&cargo)
            .args(["clean", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .args(packages.iter().flat_map(|p| ["-p", p.as_str()]))
            .env("CARGO_TARGET_DIR", &target)
            .status()?;
        let command = cargo_command(verb, features);
        let output = Command::new(&exe)
            .arg("measure")
            .arg(command.get_program())
            .args(command.get_args())
            .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "cargo {verb} {features:?} failed:\n{}{text}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Measured::parse(&text).with_context(|| format!("reading `{text}`"))
    };
    println!(
        "7. the generated crates alone (CARGO_INCREMENTAL=0, dependencies built; peak = the largest rustc):"
    );
    let mut configurations = vec![("all features".to_owned(), Vec::new())];
    for area in areas {
        configurations.push((
            format!("`{area}` alone"),
            vec![
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                area.clone(),
            ],
        ));
    }
    let mut full_check = None;
    let mut timelines = Vec::new();
    let timings = target.join("cargo-timings/cargo-timing.html");
    let mut timeline = |verb: &str| {
        let read = std::fs::read_to_string(&timings).ok();
        let line = read
            .as_deref()
            .and_then(|html| Timeline::read(html, &packages))
            .map_or_else(
                || format!("{} not readable", timings.display()),
                |t| t.to_string(),
            );
        timelines.push(format!("   {verb}: {line}"));
    };
    for (name, features) in &configurations {
        let check = measure("check", features)?;
        if full_check.is_none() {
            timeline("check");
        }
        let build = measure("build", features)?;
        if full_check.is_none() {
            timeline("build");
        }
        let share = match full_check {
            None => {
                full_check = Some(check.seconds);
                String::new()
            }
            Some(full) => format!(" ({:.0}% of the full check)", 100.0 * check.seconds / full),
        };
        println!(
            "   {name:<28} check {:>6.1} s, peak {:>5} MiB; build {:>6.1} s, peak {:>5} MiB{share}",
            check.seconds,
            check.peak_kib / 1024,
            build.seconds,
            build.peak_kib / 1024,
        );
    }
    println!(
        "8. where the all-features seconds go (`--timings`): wall, rustc's time summed, the time one crate ran alone (a core idle), the longest crates"
    );
    timelines.iter().for_each(|line| println!("{line}"));
    Ok(())
}

/// The units of `packages` in a `cargo --timings` report: when each started and how
/// long it took, from the report's `UNIT_DATA` (its only machine-readable part).
struct Timeline {
    /// (crate, start, duration), in seconds from the start of the build.
    units: Vec<(String, f64, f64)>,
}

impl Timeline {
    fn read(html: &str, packages: &[String]) -> Option<Timeline> {
        let data = html.split("const UNIT_DATA = ").nth(1)?;
        let data = &data[..data.find(";\n")?];
        let units: Vec<serde_json::Value> = serde_json::from_str(data).ok()?;
        let units: Vec<(String, f64, f64)> = units
            .iter()
            .filter_map(|unit| {
                let name = unit["name"].as_str()?;
                if !packages.iter().any(|p| p == name) {
                    return None;
                }
                Some((
                    name.to_owned(),
                    unit["start"].as_f64()?,
                    unit["duration"].as_f64()?,
                ))
            })
            .collect();
        (!units.is_empty()).then_some(Timeline { units })
    }

    /// How long each crate ran with no other crate running.
    fn alone(&self) -> Vec<(&str, f64)> {
        self.units
            .iter()
            .map(|(name, start, duration)| {
                let end = start + duration;
                // This unit's span less every moment another unit ran in it.
                let mut others: Vec<(f64, f64)> = self
                    .units
                    .iter()
                    .filter(|other| other.0 != *name)
                    .map(|(_, s, d)| (s.max(*start), (s + d).min(end)))
                    .filter(|(s, e)| s < e)
                    .collect();
                others.sort_by(|a, b| a.0.total_cmp(&b.0));
                let (mut covered, mut reached) = (0.0, *start);
                for (s, e) in others {
                    if e > reached {
                        covered += e - s.max(reached);
                        reached = e;
                    }
                }
                (name.as_str(), duration - covered)
            })
            .collect()
    }
}

impl std::fmt::Display for Timeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = self.units.iter().map(|u| u.1).fold(f64::MAX, f64::min);
        let end = self.units.iter().map(|u| u.1 + u.2).fold(0.0, f64::max);
        let summed: f64 = self.units.iter().map(|u| u.2).sum();
        let mut alone: Vec<(&str, f64)> = self
            .alone()
            .into_iter()
            .filter(|(_, s)| *s >= 0.05)
            .collect();
        alone.sort_by(|a, b| b.1.total_cmp(&a.1));
        let alone_total: f64 = alone.iter().map(|a| a.1).sum();
        let list = |items: &[(&str, f64)]| -> String {
            let items: Vec<String> = items.iter().map(|(n, s)| format!("{n} {s:.1}")).collect();
            items.join(", ")
        };
        let mut longest: Vec<(&str, f64)> =
            self.units.iter().map(|u| (u.0.as_str(), u.2)).collect();
        longest.sort_by(|a, b| b.1.total_cmp(&a.1));
        longest.truncate(3);
        write!(
            f,
            "{:.1} s wall, {summed:.1} s summed; alone {alone_total:.1} s ({}); longest {}",
            end - start,
            list(&alone),
            list(&longest)
        )
    }
}

/// Every tested response body parsed into its type and written back, against the same
/// through `serde_json::Value`: a release build of the generated crate and a program
/// that times both.
fn throughput(docs: &Path, generated: &Path, program: &Path, target: &Path) -> Result<()> {
    let understood = generator::understand(docs)?;
    std::fs::create_dir_all(program.join("src"))?;
    std::fs::write(
        program.join("Cargo.toml"),
        format!(
            "[package]\nname = \"throughput\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ngenerated = {{ path = {:?} }}\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
            generated.display().to_string()
        ),
    )?;
    let source = generator::emit::throughput::program(&understood.model);
    std::fs::write(program.join("src/main.rs"), source)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(program.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()?;
    if !output.status.success() {
        bail!(
            "the throughput program failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    print!(
        "6. run time, best of 20 rounds: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    Ok(())
}

/// What `xtask measure` prints about a command.
struct Measured {
    seconds: f64,
    peak_kib: u64,
}

impl Measured {
    fn parse(text: &str) -> Option<Measured> {
        let line = text.lines().find_map(|l| l.strip_prefix("measured: "))?;
        let (seconds, peak) = line.split_once(' ')?;
        Some(Measured {
            seconds: seconds.parse().ok()?,
            peak_kib: peak.parse().ok()?,
        })
    }
}

/// `xtask measure COMMAND...`: runs the command and prints `measured: SECONDS PEAK_KIB`,
/// the peak being the largest resident set of any process under it that was waited for.
pub fn measure(command: &[String]) -> Result<std::process::ExitCode> {
    let (program, args) = command.split_first().context("no command to measure")?;
    let started = Instant::now();
    let status = Command::new(program).args(args).status()?;
    let seconds = started.elapsed().as_secs_f64();
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    println!("measured: {seconds:.2} {}", usage.ru_maxrss);
    Ok(if status.success() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::Timeline;

    /// Three crates: `shared` alone for 4 s, then two side by side, the longer one alone
    /// for its last second.
    #[test]
    fn a_timing_report_says_which_crates_ran_alone() {
        let html = r#"<script>
const UNIT_DATA = [
  {"i":0,"name":"serde","start":0.0,"duration":9.0},
  {"i":1,"name":"generated-shared","start":10.0,"duration":4.0},
  {"i":2,"name":"generated-part-1","start":14.0,"duration":3.0},
  {"i":3,"name":"generated","start":14.0,"duration":2.0}
];
const CONCURRENCY_DATA = [];
</script>"#;
        let packages = ["generated", "generated-shared", "generated-part-1"].map(String::from);
        let timeline = Timeline::read(html, &packages).expect("the report reads");
        assert_eq!(timeline.units.len(), 3, "serde is not ours");
        assert_eq!(
            timeline.to_string(),
            "7.0 s wall, 9.0 s summed; alone 5.0 s (generated-shared 4.0, generated-part-1 1.0); longest generated-shared 4.0, generated-part-1 3.0, generated 2.0"
        );
    }
}
