// pugixml competitor of benches/cda_parse.rs (run by benches/compare.sh): DOM build from memory
// (pugi_parse) and DOM build + extraction of the `segur cda inspect` fields (pugi_extract).
// pugixml does no namespace processing: names are matched on their local part.
// Build: g++ -O2 -std=c++17 pugixml_extract.cpp -lpugixml
// Usage: pugixml_extract SETS_DIR -> `<set>\t<method>\t<MB/s>` lines (best of several rounds).
#include <pugixml.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

static const char* local(const char* name) {
    const char* colon = std::strchr(name, ':');
    return colon ? colon + 1 : name;
}

static pugi::xml_node child(pugi::xml_node n, const char* name) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && std::strcmp(local(c.name()), name) == 0) return c;
    return pugi::xml_node();
}

static pugi::xml_node find_cd(pugi::xml_node n) {
    if (n.type() == pugi::node_element && std::strcmp(local(n.name()), "ClinicalDocument") == 0) return n;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        pugi::xml_node f = find_cd(c);
        if (f) return f;
    }
    return pugi::xml_node();
}

static std::string ii(pugi::xml_node e) {
    std::string s = e.attribute("root").value();
    pugi::xml_attribute ext = e.attribute("extension");
    if (ext) s += std::string("^") + ext.value();
    return s;
}

static size_t extract(pugi::xml_node cd) {
    std::vector<std::string> f;
    for (pugi::xml_node c = cd.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const char* n = local(c.name());
        if (!std::strcmp(n, "templateId")) f.push_back(c.attribute("root").value());
        else if (!std::strcmp(n, "id") || !std::strcmp(n, "setId")) f.push_back(ii(c));
        else if (!std::strcmp(n, "code")) { f.push_back(c.attribute("code").value()); f.push_back(c.attribute("codeSystem").value()); }
        else if (!std::strcmp(n, "title")) {
            std::string t;
            for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling()) t += d.value();
            f.push_back(t);
        }
        else if (!std::strcmp(n, "effectiveTime") || !std::strcmp(n, "versionNumber")) f.push_back(c.attribute("value").value());
        else if (!std::strcmp(n, "confidentialityCode") || !std::strcmp(n, "languageCode")) f.push_back(c.attribute("code").value());
        else if (!std::strcmp(n, "recordTarget")) {
            for (pugi::xml_node i = child(child(c, "patientRole"), "id"); i; i = i.next_sibling())
                if (!std::strcmp(local(i.name()), "id")) f.push_back(ii(i));
        } else if (!std::strcmp(n, "author")) {
            for (pugi::xml_node i = child(child(c, "assignedAuthor"), "id"); i; i = i.next_sibling())
                if (!std::strcmp(local(i.name()), "id")) f.push_back(ii(i));
        } else if (!std::strcmp(n, "custodian")) {
            f.push_back(ii(child(child(child(c, "assignedCustodian"), "representedCustodianOrganization"), "id")));
        } else if (!std::strcmp(n, "component")) {
            pugi::xml_node n1 = child(c, "nonXMLBody");
            if (n1) f.push_back(child(n1, "text").attribute("mediaType").value());
            for (pugi::xml_node comp = child(child(c, "structuredBody"), "component"); comp; comp = comp.next_sibling())
                f.push_back(child(child(comp, "section"), "code").attribute("code").value());
        }
    }
    return f.size();
}

int main(int argc, char** argv) {
    if (argc != 2) { std::cerr << "usage: pugixml_extract SETS_DIR\n"; return 2; }
    const char* sets[] = {"real", "real-nob64", "sb-10mb", "n1-pdf5mb"};
    for (const char* set : sets) {
        std::string dir = std::string(argv[1]) + "/" + set;
        std::vector<std::string> names;
        if (DIR* d = opendir(dir.c_str())) {
            while (dirent* e = readdir(d)) if (std::strstr(e->d_name, ".xml")) names.push_back(dir + "/" + e->d_name);
            closedir(d);
        }
        std::sort(names.begin(), names.end());
        std::vector<std::string> docs;
        size_t total = 0;
        for (auto& n : names) {
            std::ifstream in(n, std::ios::binary);
            docs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            total += docs.back().size();
        }
        for (int extract_fields = 0; extract_fields < 2; ++extract_fields) {
            double best = 1e30;
            auto start = std::chrono::steady_clock::now();
            for (int round = 0; round < 200; ++round) {
                auto t = std::chrono::steady_clock::now();
                size_t sink = 0;
                for (auto& doc : docs) {
                    pugi::xml_document xml;
                    pugi::xml_parse_result r = xml.load_buffer(doc.data(), doc.size());
                    if (!r) { std::cerr << set << ": " << r.description() << "\n"; return 1; }
                    if (extract_fields) sink += extract(find_cd(xml));
                }
                double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
                if (sink == 1234567) std::cerr << "";
                best = std::min(best, s);
                if (round >= 4 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > 3) break;
            }
            std::cout << set << "\t" << (extract_fields ? "pugi_extract" : "pugi_parse") << "\t" << total / best / 1e6 << "\n";
        }
    }
    return 0;
}
