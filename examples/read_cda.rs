//! Reads CDA documents as a receiving system does: the header as typed data, the body through
//! views, without building the document's whole tree.
//!
//! `cargo run --example read_cda -- FILE...` (without files: two sample documents built in
//! memory, an LDL-SES discharge letter and a BIO-CR-BIO biology report).

use segur::cda::build::samples;
use segur::cda::flat::{self, Body, Section, Statement};
use segur::cda::write::Style;
use segur::cda::{AnyValue, Code};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut documents: Vec<(String, Vec<u8>)> = Vec::new();
    if files.is_empty() {
        for (name, builder) in [
            ("ldl-ses", samples::ldl_ses()),
            ("bio-cr-bio", samples::bio_report()),
        ] {
            let xml = builder.build()?.to_xml(Style::Pretty);
            documents.push((name.to_owned(), xml.into_bytes()));
        }
    }
    for file in files {
        let bytes = std::fs::read(&file)?;
        documents.push((file, bytes));
    }
    for (name, bytes) in &documents {
        // one pass over the bytes: every check of the typed parse, an index, no tree
        let doc = flat::parse(bytes)?;
        let header = doc.header();
        println!("{name}");
        println!("  type: {}", code(header.code.as_ref()));
        println!("  title: {}", header.title.as_deref().unwrap_or("-"));
        // the patient's INS, if the document carries one
        match header.patient_ins() {
            Some(Ok(ins)) => println!("  INS: {}", ins.matricule().as_str()),
            Some(Err(e)) => println!("  INS: invalid ({e})"),
            None => println!("  INS: none"),
        }
        for author in header.author_ids() {
            println!(
                "  author: {}^{}",
                author.root.as_deref().unwrap_or(""),
                author.extension.as_deref().unwrap_or("")
            );
        }
        match doc.body() {
            Some(Body::NonXml(n1)) => println!(
                "  N1 body: {} ({} bytes of base64, not decoded)",
                n1.text.media_type.as_deref().unwrap_or("?"),
                n1.text.content.len()
            ),
            Some(Body::Structured(n3)) => n3.sections().for_each(|s| print_section(&s, 1)),
            _ => println!("  no body"),
        }
    }
    Ok(())
}

fn print_section(section: &Section<'_>, depth: usize) {
    let indent = "  ".repeat(depth);
    println!(
        "{indent}section {} \"{}\"",
        code(section.code().as_ref()),
        section.title().as_deref().unwrap_or("")
    );
    for statement in section.entries().filter_map(|e| e.statement()) {
        print_statement(&statement, depth + 1);
    }
    section
        .sections()
        .for_each(|s| print_section(&s, depth + 1));
}

fn print_statement(statement: &Statement<'_>, depth: usize) {
    let indent = "  ".repeat(depth);
    let values: Vec<String> = statement
        .values()
        .map(|v| match v {
            AnyValue::Scalar(s) => format!(
                "{} {}",
                s.value.as_deref().unwrap_or(""),
                s.unit.as_deref().unwrap_or("")
            ),
            AnyValue::Coded(_, c) => code(Some(&c)),
            _ => "(other)".to_owned(),
        })
        .collect();
    println!(
        "{indent}{} {} {}",
        statement.kind().local_name(),
        code(statement.code().as_ref()),
        values.join(", ")
    );
    for related in statement.relationships().filter_map(|r| r.statement()) {
        print_statement(&related, depth + 1);
    }
}

/// `code (displayName)`, or `-`.
fn code(c: Option<&Code<'_>>) -> String {
    match c {
        Some(c) => format!(
            "{} ({})",
            c.code.as_deref().unwrap_or("?"),
            c.display_name.as_deref().unwrap_or("")
        ),
        None => "-".to_owned(),
    }
}
